/**
 * The Inside tab of the dock: "Look inside" (run the model once on one example in the worker and
 * see every recurrent layer's states and gates as units × time heatmaps, ∂L/∂h_t and the input
 * saliency, every layer's output, the prediction and the lesson's identities checked on these
 * numbers), "Gradients through time" (‖∂L/∂h_t‖ sampled while the model trains, drawn live), and
 * the vanishing-gradient experiment.
 */
import { lazy, Suspense, useMemo, useState } from 'react';
import { getLayer } from '../../core/registry.ts';
import { cellGates } from '../../core/layers/cell.ts';
import { recurrentSpecOf, timeSource } from '../../core/unrolled.ts';
import { sameModel } from '../../core/signature.ts';
import type { EditorState } from '../../store/index.ts';
import type { InspectSource } from '../../tf/train/protocol.ts';
import type { LayerInside, OutputValues } from '../../tf/inspect/probe.ts';
import { useEditor, useEditorStore } from '../context.ts';
import { useTrain } from '../train/context.ts';
import { useDatasetInUse } from '../train/readiness.ts';
import { useInside, useInsideStore } from './context.ts';
import { GradientChart, type Curve } from './GradientChart.tsx';
import { Heatmap, StepBars } from './Heatmap.tsx';
import { UnrollButton } from './UnrollButton.tsx';
import './inside.css';

const Experiment = lazy(() => import('./Experiment.tsx').then((m) => ({ default: m.Experiment })));

const selectGraph = (s: EditorState) => s.graph;
const selectInference = (s: EditorState) => s.inference;
const selectTraining = (s: EditorState) => s.extras.training;
const selectDatasetChoice = (s: EditorState) => s.extras.dataset;

export type InsideView = 'look' | 'gradients' | 'experiment';
type View = InsideView;

/** `initialView`: the view to open with (the gallery opens the experiment). */
export function InsidePanel({ initialView = 'look' }: { initialView?: View } = {}) {
  const [view, setView] = useState<View>(initialView);
  const store = useInsideStore();
  if (!store) return <p className="muted inside-none">The inside views need the training worker.</p>;
  return (
    <section className="inside-panel" aria-label="Inside">
      <nav className="inside-tabs" role="tablist" aria-label="Inside views">
        <button role="tab" aria-selected={view === 'look'} onClick={() => setView('look')}>Look inside</button>
        <button role="tab" aria-selected={view === 'gradients'} onClick={() => setView('gradients')}>Gradients through time</button>
        <button role="tab" aria-selected={view === 'experiment'} onClick={() => setView('experiment')}>Vanishing gradients</button>
      </nav>
      <div className="inside-view" role="tabpanel">
        {view === 'look' ? <LookInside /> : view === 'gradients' ? <GradientsView /> : <Suspense fallback={<p className="muted">Loading…</p>}><Experiment /></Suspense>}
      </div>
    </section>
  );
}

/* ---------------------------------------------------------------- look inside */

function LookInside() {
  const store = useInsideStore()!;
  const editor = useEditorStore();
  const graph = useEditor(selectGraph);
  const inference = useEditor(selectInference);
  const training = useEditor(selectTraining);
  const choice = useEditor(selectDatasetChoice);
  const dataset = useDatasetInUse();
  const split = useInside((s) => s.split)!;
  const example = useInside((s) => s.example)!;
  const status = useInside((s) => s.inspectStatus)!;
  const error = useInside((s) => s.inspectError);
  const result = useInside((s) => s.result);
  const resultGraph = useInside((s) => s.resultGraph);
  const [kind, setKind] = useState<InspectSource['kind']>('example');
  const [text, setText] = useState('');
  const [weights, setWeights] = useState<'current' | 'fresh'>('current');
  const errors = inference.issues.filter((i) => i.severity === 'error').length;
  const recurrent = graph.nodes.filter((n) => recurrentSpecOf(graph, inference, n.id));
  const run = () => {
    let source: InspectSource;
    if (kind === 'example') source = { kind, split, index: example, batchSize: training.batch_size };
    else if (kind === 'text') source = { kind, text };
    else source = { kind, rows: text.split(/\n|;/).map((l) => l.trim()).filter(Boolean).map((l) => l.split(/[\s,]+/).map(Number)) };
    const ds = dataset ? (dataset.uploaded && dataset.data ? { kind: 'data' as const, dataset: dataset.data } : { kind: 'id' as const, id: dataset.id, options: catalogOptions(choice?.options) }) : undefined;
    void store.getState().inspect({ graph: editor.getState().graph, ...(ds ? { dataset: ds } : {}), source, weights, seed: training.seed, backend: training.backend });
  };
  const stale = result && resultGraph && !sameModel(resultGraph, graph);
  return (
    <div className="look-inside">
      <form className="look-controls" aria-label="Look inside controls" onSubmit={(e) => { e.preventDefault(); run(); }}>
        <fieldset className="look-source">
          <legend className="inside-label">Input</legend>
          {(['example', 'text', 'numbers'] as const).map((k) => (
            <label key={k} className="radio"><input type="radio" name="look-source" checked={kind === k} onChange={() => setKind(k)} />
              {k === 'example' ? 'a dataset example' : k === 'text' ? 'typed text' : 'typed numbers'}</label>
          ))}
        </fieldset>
        {kind === 'example' ? (
          <div className="look-example">
            <select aria-label="Split" value={split} onChange={(e) => store.getState().setExample(example, e.target.value as typeof split)}>
              <option value="train">train</option><option value="val">val</option><option value="test">test</option>
            </select>
            <label>example # <input type="number" min={1} value={example + 1} aria-label="Example number (look inside)"
              onChange={(e) => store.getState().setExample(Number(e.target.value) - 1)} /></label>
            {!dataset && <p className="field-error">Pick a dataset in the Data tab.</p>}
          </div>
        ) : (
          <textarea aria-label={kind === 'text' ? 'Text to look inside' : 'Numbers to look inside (one step per line)'} rows={3} value={text}
            placeholder={kind === 'text' ? 'the flight was late again' : '0.42 0\n0.91 1\n0.10 0'} onChange={(e) => setText(e.target.value)} />
        )}
        <label className="inside-field">Weights
          <select aria-label="Weights" value={weights} onChange={(e) => setWeights(e.target.value as typeof weights)}>
            <option value="current">current (the last run's, when it trained this graph)</option>
            <option value="fresh">fresh (seed {training.seed})</option>
          </select>
        </label>
        <button type="submit" className="primary-button" disabled={errors > 0 || status === 'running' || (kind !== 'example' && !text.trim())}>
          {status === 'running' ? 'Running…' : 'Look inside'}
        </button>
        {errors > 0 && <p className="field-error">Fix the graph's errors first.</p>}
        {!recurrent.length && <p className="muted">This model has no recurrent layer: only the outputs of its layers are shown.</p>}
        {recurrent.length > 0 && (
          <div className="look-unroll">{recurrent.map((n) => <UnrollButton key={n.id} id={n.id} name={n.name} label={`unroll ${n.name}`} />)}</div>
        )}
      </form>
      <div className="look-results" aria-label="Look inside results" aria-busy={status === 'running'}>
        {error && <p className="inside-error" role="alert">{error}</p>}
        {!result && !error && <p className="muted">Runs the model once, in the training worker, on one input: its states, gates and gradients appear here.</p>}
        {result && <Result stale={!!stale} />}
      </div>
    </div>
  );
}

function catalogOptions(options: Record<string, unknown> | undefined): { seed?: number; size?: number } {
  const out: { seed?: number; size?: number } = {};
  if (typeof options?.seed === 'number') out.seed = options.seed;
  if (typeof options?.size === 'number') out.size = options.size;
  return out;
}

function Result({ stale }: { stale: boolean }) {
  const result = useInside((s) => s.result)!;
  const graph = useInside((s) => s.resultGraph)!;
  const inference = useEditor(selectInference);
  const names = new Map(graph.nodes.map((n) => [n.id, n]));
  const T = result.tokens.length || result.layers[0]?.T || 1;
  const cell = Math.max(4, Math.min(44, Math.floor(880 / Math.max(1, T))));
  const firstInput = graph.nodes.find((n) => n.kind === 'Input');
  return (
    <div className="look-result">
      <p className="look-meta" aria-label="Weights used">
        <b>Weights:</b> {result.weightsNote} · backend {result.backend} · {Math.round(result.ms)} ms
      </p>
      {stale && <p className="inside-stale" role="status">The graph changed since: look inside again to see the current model.</p>}
      <dl className="look-prediction">
        <div><dt>Prediction</dt><dd aria-label="Prediction">{result.prediction.text}</dd></div>
        {result.target !== undefined && <div><dt>Target</dt><dd>{result.target}</dd></div>}
        {result.loss !== undefined && <div><dt>Loss</dt><dd>{result.loss.toPrecision(4)}</dd></div>}
      </dl>
      {result.facts.length > 0 && (
        <ul className="facts" aria-label="Facts on these numbers">
          {result.facts.map((f) => <li key={f.text} className={f.holds ? 'holds' : 'fails'}><span aria-hidden>{f.holds ? '✓' : '✗'}</span> {f.text}</li>)}
        </ul>
      )}
      {result.saliency && (
        <div className="look-block">
          <h4>Which inputs the prediction leans on</h4>
          <StepBars label="saliency" title="‖∂ prediction / ∂ input at t‖" values={Array.from(result.saliency.values)} cell={cell} log={false} />
          <Tokens tokens={result.tokens} padding={result.padding} cell={cell} />
        </div>
      )}
      {result.layers.map((l) => (
        <LayerMaps key={`${l.nodeId}-${l.direction}`} layer={l} tokens={timeSource(graph, inference, l.nodeId) === firstInput?.id ? result.tokens : undefined}
          padding={result.padding} cell={cell} kind={names.get(l.nodeId)?.kind ?? ''} />
      ))}
      <Outputs outputs={result.outputs} graphNames={names} />
    </div>
  );
}

function Tokens({ tokens, padding, cell }: { tokens: readonly string[]; padding: readonly boolean[]; cell: number }) {
  if (!tokens.length) return null;
  const every = cell >= 24 ? 1 : Math.ceil(30 / cell);
  return (
    <div className="token-axis" style={{ width: tokens.length * cell }} aria-label="Tokens">
      {tokens.map((t, k) => (k % every === 0 ? (
        <span key={k} style={{ left: k * cell, width: cell * every }} className={padding[k] ? 'pad' : ''} title={t || 'padding'}>{padding[k] ? '·' : t}</span>
      ) : null))}
    </div>
  );
}

const GATE_TITLES: Record<string, string> = {
  i: 'input gate', f: 'forget gate', o: 'output gate', g: 'candidate', z: 'update gate', r: 'reset gate',
};

function LayerMaps({ layer, tokens, padding, cell, kind }: { layer: LayerInside; tokens?: readonly string[]; padding: readonly boolean[]; cell: number; kind: string }) {
  const def = getLayer(kind);
  const gates = cellGates(layer.kind).map((g) => g.trace).filter((g) => layer.gates[g]);
  return (
    <div className="look-block layer-maps" aria-label={`${layer.name} ${layer.direction} inside`}>
      <h4>{layer.name} {layer.direction === 'backward' ? '· backward' : layer.goBackwards ? '· go_backwards' : ''} <span className="muted">{def?.kerasClass === 'Bidirectional' ? `Bidirectional(${layer.kind})` : layer.kind}({layer.units}) · {layer.T} steps</span></h4>
      <Heatmap label="h" title="hidden state (after reading t)" values={layer.h} T={layer.T} units={layer.units} scale="signed" tokens={tokens} cell={cell} />
      {layer.c && <Heatmap label="c" title="cell state" values={layer.c} T={layer.T} units={layer.units} scale="signed" tokens={tokens} cell={cell} />}
      {gates.map((g) => (
        <Heatmap key={g} label={g} title={GATE_TITLES[g]} values={layer.gates[g]} T={layer.T} units={layer.units} scale={g === 'g' ? 'signed' : 'gate'} tokens={tokens} cell={cell} />
      ))}
      {layer.gradNorm && <StepBars label="‖∂L/∂hₜ‖" title="gradient of the loss w.r.t. each step's state" values={layer.gradNorm} cell={cell} log />}
      {tokens && <Tokens tokens={tokens} padding={padding} cell={cell} />}
    </div>
  );
}

function Outputs({ outputs, graphNames }: { outputs: readonly OutputValues[]; graphNames: Map<string, { name: string; kind: string }> }) {
  return (
    <details className="look-block look-outputs">
      <summary>Every layer's output ({outputs.length})</summary>
      <table className="outputs-table" aria-label="Layer outputs">
        <tbody>
          {outputs.map((o) => (
            <tr key={`${o.nodeId}.${o.port}`}>
              <th scope="row">{graphNames.get(o.nodeId)?.name}<span className="muted">.{o.port}</span></th>
              <td><code>({o.shape.join(', ')})</code></td>
              <td className="mono values">{preview(o.values)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

function preview(v: Float32Array): string {
  const head = Array.from(v.slice(0, 10), (x) => (Number.isInteger(x) ? String(x) : x.toFixed(3)));
  return `[${head.join(', ')}${v.length > 10 ? `, … ${v.length} values` : ''}]`;
}

/* ---------------------------------------------------------------- gradients through time */

const LAYER_COLORS = ['#6d28d9', '#0ea5e9', '#d97706', '#059669', '#db2777', '#64748b'];

function GradientsView() {
  const store = useInsideStore()!;
  const samples = useInside((s) => s.gradients.samples)!;
  const every = useInside((s) => s.gradientsEvery)!;
  const status = useTrain((s) => s.status);
  const trained = useTrain((s) => s.graph);
  const latest = samples[samples.length - 1];
  const keys = useMemo(() => (latest ? latest.layers.map((l, k) => ({ k, name: `${l.name}${l.direction === 'backward' ? ' (backward)' : ''}` })) : []), [latest]);
  const [pick, setPick] = useState(0);
  const layer = Math.min(pick, Math.max(0, keys.length - 1));
  const curves: Curve[] = useMemo(() => {
    if (!latest) return [];
    // The latest sample strong, a few earlier ones fading out: the curve's change over training.
    const older = samples.slice(0, -1).filter((_, k, a) => k % Math.max(1, Math.ceil(a.length / 4)) === 0).slice(-4);
    return [...older.map((s, k) => ({
      key: `s${s.step}`, name: `batch ${s.step}`, color: LAYER_COLORS[layer % LAYER_COLORS.length], values: s.layers[layer]?.gradNorm ?? [], width: 1, opacity: 0.2 + 0.15 * k,
    })), { key: `s${latest.step}`, name: `batch ${latest.step} (latest)`, color: LAYER_COLORS[layer % LAYER_COLORS.length], values: latest.layers[layer]?.gradNorm ?? [], width: 2.5 }];
  }, [samples, latest, layer]);
  const g = latest?.layers[layer]?.gradNorm ?? [];
  const firstReal = g.findIndex((v) => v !== null && v > 0);
  const lastReal = g.length - 1 - [...g].reverse().findIndex((v) => v !== null && v > 0);
  const ratio = firstReal >= 0 && lastReal >= firstReal ? (g[lastReal]! / g[firstReal]!) : null;
  return (
    <div className="gradients-view">
      <div className="gradients-side">
        <label className="inside-field">Sample ∂L/∂hₜ
          <select aria-label="Gradient sampling" value={String(every)} onChange={(e) => {
            const v = e.target.value;
            store.getState().setGradientsEvery(v === 'auto' || v === 'off' ? v : Number(v));
          }}>
            <option value="auto">auto (≈ 10 % of the training time)</option>
            {[1, 5, 10, 25, 100].map((n) => <option key={n} value={n}>every {n} batch{n > 1 ? 'es' : ''}</option>)}
            <option value="off">off</option>
          </select>
        </label>
        <p className="muted gradients-help">
          While the model trains (Train tab), the worker measures ‖∂L/∂hₜ‖ on a fixed batch of 8 validation examples: how much the loss depends on the state at each step.
          Backpropagation through time multiplies this by the recurrent Jacobian at every step back; in a SimpleRNN it shrinks step after step (vanishing gradients), while the LSTM's cell state lets it through.
        </p>
        {keys.length > 1 && (
          <label className="inside-field">Layer
            <select aria-label="Gradient layer" value={layer} onChange={(e) => setPick(Number(e.target.value))}>
              {keys.map((k) => <option key={k.k} value={k.k}>{k.name}</option>)}
            </select>
          </label>
        )}
      </div>
      <div className="gradients-main">
        {latest ? (
          <>
            <p className="gradients-now" aria-label="Latest gradient sample" data-step={latest.step} data-samples={samples.length}>
              Batch {latest.step} (epoch {latest.epoch}) · probe loss {latest.loss.toPrecision(3)} · {samples.length} sample{samples.length > 1 ? 's' : ''}
              {ratio !== null && <> · last/first step: <b>{ratio.toExponential(1)}</b>×</>}
              {status === 'running' ? ' · live' : ''}
              {trained && ' · ' + (trained.nodes.find((n) => n.id === latest.layers[layer]?.nodeId)?.name ?? '')}
            </p>
            <GradientChart curves={curves} label="Gradient through time chart" height={230} legend />
          </>
        ) : (
          <p className="muted gradients-empty">Train a model with a recurrent layer (Train tab): ‖∂L/∂hₜ‖ for every step appears here and updates as it trains{every === 'off' ? ' (sampling is off)' : ''}.</p>
        )}
      </div>
    </div>
  );
}
