/**
 * The vanishing-gradient experiment: SimpleRNN, GRU and LSTM on the adding problem, trained one
 * after another in a worker of their own; loss curves overlaid with the chance baseline, gradients
 * through time overlaid on a log scale, and the measured numbers in a table.
 */
import { useMemo } from 'react';
import { useStore } from 'zustand';
import {
  CHANCE_MSE, EXPERIMENT_KINDS, EXPERIMENT_LENGTHS, gradientRatio, medianRatio, type ExperimentKind, type ExperimentState, type ExperimentStore,
} from '../../store/experiment.ts';
import { useExperimentStore } from './context.ts';
import { GradientChart, type Curve } from './GradientChart.tsx';
import { LineCanvas, type Series } from './LineCanvas.tsx';

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
  const losses: Series[] = useMemo(() => runs.map((r) => ({
    key: r.kind, name: r.kind, color: COLOR[r.kind], width: 1.6, points: r.batches.map((b) => ({ x: b.step, y: b.loss })),
  })), [runs]);
  const points = Math.max(0, ...runs.map((r) => r.batches.length));
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
        <figure className="exp-chart" aria-label="Experiment loss chart" data-points={points} data-chance={CHANCE_MSE}>
          <figcaption><b>Training loss</b> <span className="muted">per batch · dashed: chance</span></figcaption>
          <LineCanvas series={losses} height={190} xLabel="batch" refs={[{ y: CHANCE_MSE, label: `chance ${CHANCE_MSE.toFixed(3)}` }]} legend zeroBased />
        </figure>
        <figure className="exp-chart">
          <figcaption><b>‖∂L/∂hₜ‖ through time</b> <span className="muted">latest sample of each model, log scale</span></figcaption>
          <GradientChart curves={curves} label="Experiment gradient chart" height={190} legend />
        </figure>
      </div>
      <table className="exp-table" aria-label="Experiment results">
        <thead><tr><th>Model</th><th>T</th><th>Status</th><th className="num">val loss</th><th className="num">test loss</th><th className="num" title="the latest gradient sample">‖∂L/∂h_T‖ / ‖∂L/∂h₁‖ now</th><th className="num" title="the median over every sample of the run">median over the run</th></tr></thead>
        <tbody>
          {runs.map((r) => {
            const ratio = gradientRatio(r);
            const median = medianRatio(r);
            const val = r.epochs[r.epochs.length - 1]?.val_loss;
            return (
              <tr key={r.kind} data-kind={r.kind}>
                <td><i className="exp-dot" style={{ background: COLOR[r.kind] }} /> {r.kind}</td>
                <td>{r.T}</td>
                <td>{r.status}{r.error ? `: ${r.error}` : ''}</td>
                <td className="num">{val === undefined ? '–' : val.toFixed(4)}</td>
                <td className="num">{r.test === undefined ? '–' : r.test.toFixed(4)}</td>
                <td className="num">{ratio === null ? '–' : ratio.toExponential(1)}</td>
                <td className="num">{median === null ? '–' : median.toExponential(1)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
