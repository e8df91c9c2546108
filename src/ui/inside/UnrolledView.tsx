/**
 * A recurrent node expanded into its cell repeated over the T steps of one example: the picture
 * core's `unrollNode` describes, laid out by unrolledLayout.ts. It follows the document live: the
 * toggles here (and on the node) change the node's parameters, and the picture redraws.
 */
import { useEffect, useMemo } from 'react';
import { getLayer } from '../../core/registry.ts';
import { unrollNode, type UnrolledView as View } from '../../core/unrolled.ts';
import type { Params } from '../../core/types.ts';
import { nodeSelector, type EditorState } from '../../store/index.ts';
import { useActions, useEditor } from '../context.ts';
import { useInside, useInsideStore } from './context.ts';
import { CELL_H, CELL_W, layoutUnrolled, type Layout } from './unrolledLayout.ts';
import { useSteps } from './useSteps.ts';
import './inside.css';

const selectGraph = (s: EditorState) => s.graph;
const selectInference = (s: EditorState) => s.inference;

/** The overlay over the canvas while a node is unrolled. */
export function UnrolledOverlay() {
  const id = useInside((s) => s.unrolled);
  const store = useInsideStore();
  const node = useEditor(useMemo(() => nodeSelector(id ?? ''), [id]));
  const close = () => store?.getState().unroll(null);
  useEffect(() => {
    if (!id) return;
    const onKey = (e: KeyboardEvent) => { if (e.key === 'Escape') store?.getState().unroll(null); };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, [id, store]);
  if (!id || !node) return null;
  return (
    <section className="unrolled-overlay" role="dialog" aria-label={`${node.name} unrolled in time`}>
      <UnrolledPanel id={id} onClose={close} />
    </section>
  );
}

function UnrolledPanel({ id, onClose }: { id: string; onClose: () => void }) {
  const graph = useEditor(selectGraph);
  const inference = useEditor(selectInference);
  const info = useSteps(id);
  const view = useMemo(() => unrollNode(graph, inference, id, info.steps), [graph, inference, id, info.steps]);
  const layout = useMemo(() => (view ? layoutUnrolled(view) : null), [view]);
  const node = graph.nodes.find((n) => n.id === id);
  return (
    <>
      <header className="unrolled-head">
        <div>
          <h2>{node?.name} <span className="muted">({view?.kerasClass ?? node?.kind})</span> unrolled over <span aria-label="Steps">{view?.T ?? '?'}</span> steps</h2>
          <p className="muted unrolled-caption">{info.caption}</p>
        </div>
        <ExamplePicker examples={info.examples} />
        <NodeToggles id={id} />
        <button type="button" className="icon-button close" aria-label="Close the unrolled view" onClick={onClose}>✕</button>
      </header>
      {!view || !layout ? (
        <p className="unrolled-empty">Connect the layer's input (a sequence with a known feature size) to unroll it.</p>
      ) : (
        <div className="unrolled-body">
          <ul className="unrolled-notes" aria-label="What the picture shows">
            {view.notes.map((n) => <li key={n}>{n}</li>)}
          </ul>
          <div className="unrolled-scroll" data-scroll-x>
            <Picture view={view} layout={layout} />
          </div>
          <Legend view={view} />
        </div>
      )}
    </>
  );
}

function ExamplePicker({ examples }: { examples: number }) {
  const store = useInsideStore();
  const example = useInside((s) => s.example) ?? 0;
  const split = useInside((s) => s.split) ?? 'test';
  if (!store || examples === 0) return null;
  const set = (k: number) => store.getState().setExample(Math.min(Math.max(0, k), examples - 1));
  return (
    <div className="example-picker" role="group" aria-label="Example">
      <button type="button" className="icon-button" aria-label="Previous example" disabled={example <= 0} onClick={() => set(example - 1)}>‹</button>
      <label>
        <span className="muted">{split} #</span>
        <input type="number" min={1} max={examples} value={Math.min(example, examples - 1) + 1} aria-label="Example number"
          onChange={(e) => set(Number(e.target.value) - 1)} />
      </label>
      <button type="button" className="icon-button" aria-label="Next example" disabled={example >= examples - 1} onClick={() => set(example + 1)}>›</button>
    </div>
  );
}

const TOGGLES = ['return_sequences', 'return_state', 'go_backwards'];

/** The switches that change the picture: the node's own, or those of the layer a Bidirectional wraps, and merge_mode. */
function NodeToggles({ id }: { id: string }) {
  const node = useEditor(useMemo(() => nodeSelector(id), [id]));
  const actions = useActions();
  const def = node && getLayer(node.kind);
  if (!node || !def) return null;
  const wrapped = def.params.find((p) => p.type === 'layer');
  const inner = wrapped ? (node.params[wrapped.name] as { kind: string; params: Params }) : null;
  const innerDef = inner ? getLayer(inner.kind) : undefined;
  const specs = (innerDef ?? def).params.filter((p) => p.type === 'bool' && TOGGLES.includes(p.name));
  const values = inner ? inner.params : node.params;
  const merge = def.params.find((p) => p.type === 'enum' && p.name === 'merge_mode');
  return (
    <div className="unrolled-toggles" role="group" aria-label="Layer switches">
      {specs.map((s) => {
        const on = (values[s.name] ?? s.default) === true;
        const set = (v: boolean) => (wrapped ? actions.setInnerParams(id, wrapped.name, { [s.name]: v }) : actions.setParams(id, { [s.name]: v }));
        return (
          <label key={s.name} className={`toggle ${on ? 'on' : ''}`} title={s.help}>
            <input type="checkbox" role="switch" aria-label={`${s.name} (unrolled view)`} checked={on} onChange={(e) => set(e.target.checked)} />
            <span className="toggle-track" aria-hidden><span className="toggle-knob" /></span>
            <span className="toggle-label">{s.name}</span>
          </label>
        );
      })}
      {merge?.type === 'enum' && (
        <label className="merge-pick">
          <span className="muted">merge_mode</span>
          <select aria-label="merge_mode (unrolled view)" value={String(node.params.merge_mode ?? merge.default)}
            onChange={(e) => actions.setParams(id, { merge_mode: e.target.value === 'null' ? null : e.target.value })}>
            {merge.options.map((o) => <option key={String(o)} value={String(o)}>{o === null ? 'None' : o}</option>)}
          </select>
        </label>
      )}
    </div>
  );
}

function Picture({ view, layout }: { view: View; layout: Layout }) {
  return (
    <svg className="unrolled-svg" width={layout.width} height={layout.height} role="img"
      aria-label={`${view.chains.length} chain${view.chains.length > 1 ? 's' : ''} of ${view.T} steps`} data-steps={view.T}
      data-padding={view.padding}>
      <defs>
        <marker id="ua" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
          <path d="M0,0 L8,4 L0,8 z" fill="context-stroke" />
        </marker>
      </defs>
      {layout.boxes.filter((b) => b.kind === 'pad').map((b) => (
        <rect key={b.key} className="pad-column" x={b.x} y={b.y} width={b.w} height={b.h} rx={6} data-testid="padding-step" />
      ))}
      {layout.wires.map((w) => (
        <path key={w.key} d={w.d} className={`wire ${w.kind}`} markerEnd={w.kind === 'weight' || w.kind === 'carry' ? undefined : 'url(#ua)'} />
      ))}
      {layout.boxes.filter((b) => b.kind !== 'pad').map((b) => (
        <g key={b.key} className={`box ${b.kind}`}>
          <rect x={b.x} y={b.y} width={b.w} height={b.h} rx={5} />
          {b.text && <text x={b.x + b.w / 2} y={b.y + b.h / 2 + 4} textAnchor="middle">{b.text}</text>}
        </g>
      ))}
      {layout.cells.map((c) => (
        <g key={c.key} className={`cell ${c.padding ? 'padding' : ''} ${c.skipped ? 'skipped' : ''} ${c.emits ? 'emits' : ''}`}
          data-testid="cell" data-t={c.t} data-chain={c.chain} data-emits={c.emits}>
          <title>{`${view.chains[c.chain].cell.kind} cell at t=${c.t + 1} (read ${c.k + 1}${['st', 'nd', 'rd'][c.k] ?? 'th'})${c.skipped ? ': masked, skipped (the state carries over)' : c.padding ? ': padding, processed' : ''}`}</title>
          <rect x={c.x} y={c.y} width={CELL_W} height={CELL_H} rx={8} />
          <text x={c.x + CELL_W / 2} y={c.y + CELL_H / 2 + 4} textAnchor="middle">{c.skipped ? 'skip' : view.chains[c.chain].cell.kind === 'SimpleRNN' ? 'tanh' : view.chains[c.chain].cell.kind}</text>
        </g>
      ))}
      {layout.labels.map((l) => (
        <text key={l.key} x={l.x} y={l.y} className={`label ${l.kind}`} textAnchor={l.anchor ?? 'middle'}>
          {l.title && <title>{l.title}</title>}
          {l.text}
        </text>
      ))}
    </svg>
  );
}

function Legend({ view }: { view: View }) {
  return (
    <p className="unrolled-legend" aria-label="Legend">
      <span><i className="lg output" /> leaves the layer</span>
      <span><i className="lg internal" /> computed, not returned</span>
      <span><i className="lg weight" /> uses the shared weights</span>
      {view.padding !== 'none' && <span><i className="lg pad" /> padding{view.padding === 'skipped' ? ' (masked: skipped, state carried)' : ' (no mask: processed)'}</span>}
      {view.returnState && <span><i className="lg final" /> final state (return_state)</span>}
    </p>
  );
}
