/**
 * The vanishing-gradient experiment: SimpleRNN, GRU and LSTM on the adding problem, trained one
 * after another in a worker of their own; loss curves overlaid with the chance baseline, gradients
 * through time overlaid on a log scale, and the measured numbers in a table.
 */
import { useMemo } from 'react';
import { useStore } from 'zustand';
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import {
  CHANCE_MSE, EXPERIMENT_KINDS, EXPERIMENT_LENGTHS, gradientRatio, type ExperimentKind, type ExperimentState, type ExperimentStore,
} from '../../store/experiment.ts';
import { useExperimentStore } from './context.ts';
import { GradientChart, type Curve } from './GradientChart.tsx';

const COLOR: Record<ExperimentKind, string> = { SimpleRNN: '#dc2626', GRU: '#d97706', LSTM: '#6d28d9' };

export function Experiment() {
  const store = useExperimentStore();
  if (!store) return <p className="muted">The experiment needs a worker of its own (not available here).</p>;
  return <ExperimentView store={store} />;
}

function ExperimentView({ store }: { store: ExperimentStore }) {
  const config = useStore(store, (s: ExperimentState) => s.config);
  const status = useStore(store, (s: ExperimentState) => s.status);
  const runs = useStore(store, (s: ExperimentState) => s.runs);
  const running = status === 'running';
  const set = store.getState().setConfig;
  const lossRows = useMemo(() => {
    const n = Math.max(0, ...runs.map((r) => r.batches.length));
    return Array.from({ length: n }, (_, i) => {
      const row: Record<string, number | null> = { step: i + 1 };
      for (const r of runs) row[r.kind] = r.batches[i]?.loss ?? null;
      return row;
    });
  }, [runs]);
  const curves: Curve[] = runs.filter((r) => r.gradients.length).map((r) => ({
    key: r.kind, name: `${r.kind} (batch ${r.gradients[r.gradients.length - 1].step})`, color: COLOR[r.kind], values: r.gradients[r.gradients.length - 1].layers[0]?.gradNorm ?? [],
  }));
  return (
    <div className="experiment" aria-label="Vanishing-gradient experiment">
      <form className="experiment-config" onSubmit={(e) => { e.preventDefault(); store.getState().start(); }}>
        <fieldset disabled={running}>
          <legend className="inside-label">Adding problem</legend>
          <div className="exp-kinds" role="group" aria-label="Models">
            {EXPERIMENT_KINDS.map((k) => (
              <label key={k}><input type="checkbox" checked={config.kinds.includes(k)}
                onChange={(e) => set({ kinds: EXPERIMENT_KINDS.filter((x) => (x === k ? e.target.checked : config.kinds.includes(x))) })} /> {k}</label>
            ))}
          </div>
          <label className="inside-field">Sequence length T
            <select aria-label="Sequence length T" value={config.T} onChange={(e) => set({ T: Number(e.target.value) as typeof config.T })}>
              {EXPERIMENT_LENGTHS.map((t) => <option key={t} value={t}>{t}</option>)}
            </select>
          </label>
          <label className="inside-field">Units <input type="number" min={1} max={256} aria-label="Experiment units" value={config.units} onChange={(e) => set({ units: Math.max(1, Number(e.target.value) || 1) })} /></label>
          <label className="inside-field">Epochs <input type="number" min={1} max={100} aria-label="Experiment epochs" value={config.epochs} onChange={(e) => set({ epochs: Math.max(1, Number(e.target.value) || 1) })} /></label>
          <label className="inside-field">Examples <input type="number" min={50} step={50} aria-label="Experiment examples" value={config.size} onChange={(e) => set({ size: Math.max(50, Number(e.target.value) || 50) })} /></label>
        </fieldset>
        <div className="inside-buttons">
          <button type="submit" className="primary-button" disabled={running || !config.kinds.length}>{running ? 'Running…' : 'Run the experiment'}</button>
          {running && <button type="button" className="secondary-button" onClick={() => store.getState().stop()}>Stop</button>}
        </div>
        <p className="muted exp-help">
          Each model learns to add the two marked numbers of a sequence of {config.T} (value, marker) pairs; predicting the mean gives MSE {CHANCE_MSE.toFixed(3)} (the dashed line).
          The models train one after another in a worker of their own, while the gradient ‖∂L/∂hₜ‖ through time is measured on a fixed validation batch.
        </p>
      </form>
      <div className="experiment-charts">
        <figure className="exp-chart" aria-label="Experiment loss chart" data-points={lossRows.length}>
          <figcaption><b>Training loss</b> <span className="muted">per batch · dashed: chance</span></figcaption>
          <div style={{ height: 190 }}>
            <ResponsiveContainer width="100%" height="100%">
              <LineChart data={lossRows} margin={{ top: 6, right: 12, bottom: 0, left: 0 }}>
                <CartesianGrid stroke="#f1f5f9" />
                <XAxis dataKey="step" type="number" domain={[1, 'auto']} tick={{ fontSize: 11, fill: '#64748b' }} stroke="#cbd5e1" height={22} />
                <YAxis type="number" domain={[0, 'auto']} allowDataOverflow={false} tick={{ fontSize: 11, fill: '#64748b' }} stroke="#cbd5e1" width={42} />
                <Tooltip formatter={(v) => Number(v).toFixed(4)} labelFormatter={(s) => `batch ${s}`} contentStyle={{ fontSize: 12, borderRadius: 8 }} />
                <Legend wrapperStyle={{ fontSize: 11 }} />
                <ReferenceLine y={CHANCE_MSE} stroke="#64748b" strokeDasharray="5 4" label={{ value: 'chance', fontSize: 10, fill: '#64748b', position: 'insideTopRight' }} />
                {runs.map((r) => <Line key={r.kind} dataKey={r.kind} stroke={COLOR[r.kind]} dot={false} strokeWidth={1.6} isAnimationActive={false} connectNulls />)}
              </LineChart>
            </ResponsiveContainer>
          </div>
        </figure>
        <figure className="exp-chart">
          <figcaption><b>‖∂L/∂hₜ‖ through time</b> <span className="muted">latest sample of each model, log scale</span></figcaption>
          <GradientChart curves={curves} label="Experiment gradient chart" height={190} legend />
        </figure>
      </div>
      <table className="exp-table" aria-label="Experiment results">
        <thead><tr><th>Model</th><th>T</th><th>Status</th><th className="num">val loss</th><th className="num">test loss</th><th className="num">‖∂L/∂h_T‖ / ‖∂L/∂h₁‖</th></tr></thead>
        <tbody>
          {runs.map((r) => {
            const ratio = gradientRatio(r);
            const val = r.epochs[r.epochs.length - 1]?.val_loss;
            return (
              <tr key={r.kind} data-kind={r.kind}>
                <td><i className="exp-dot" style={{ background: COLOR[r.kind] }} /> {r.kind}</td>
                <td>{r.T}</td>
                <td>{r.status}{r.error ? `: ${r.error}` : ''}</td>
                <td className="num">{val === undefined ? '–' : val.toFixed(4)}</td>
                <td className="num">{r.test === undefined ? '–' : r.test.toFixed(4)}</td>
                <td className="num">{ratio === null ? '–' : ratio.toExponential(1)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
