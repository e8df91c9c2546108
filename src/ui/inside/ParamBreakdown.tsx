/**
 * The inspector's parameter breakdown of a recurrent layer: each weight variable (kernel W,
 * recurrent_kernel U, bias b) with its shape and count, split into Keras's gate order (LSTM i, f,
 * c, o; GRU z, r, h with reset_after's second bias row), adding up to the summary's number; with
 * weights from a run (or a "look inside" of this graph), the size of each block (root mean square).
 * Everything comes from core (`recurrentSpecOf`); nothing here knows a kind.
 */
import { useContext, useEffect, useMemo } from 'react';
import { useStore } from 'zustand';
import type { CellSpec } from '../../core/layers/cell.ts';
import { recurrentSpecOf } from '../../core/unrolled.ts';
import type { BlockStats } from '../../tf/inspect/weights.ts';
import type { EditorState } from '../../store/index.ts';
import { useEditor } from '../context.ts';
import { TrainContext } from '../train/context.ts';
import type { TrainState, TrainStore } from '../../store/trainStore.ts';
import { useInside, useInsideStore } from './context.ts';
import { sameModel } from '../../core/signature.ts';

const selectGraph = (s: EditorState) => s.graph;
/** Without a train store (the editor mounted alone): no run, no trained weights. */
const NO_TRAIN = { subscribe: () => () => {}, getState: () => ({ exportable: false, status: 'idle' }), getInitialState: () => ({ exportable: false, status: 'idle' }) } as unknown as TrainStore;
const selectInference = (s: EditorState) => s.inference;
const fmt = (n: number) => n.toLocaleString('en-US');
const shape = (s: readonly number[]) => `(${s.join(', ')}${s.length === 1 ? ',' : ''})`;

export function ParamBreakdown({ id }: { id: string }) {
  const graph = useEditor(selectGraph);
  const inference = useEditor(selectInference);
  const spec = useMemo(() => recurrentSpecOf(graph, inference, id), [graph, inference, id]);
  const total = inference.node(id)?.params;
  const stats = useStats(id);
  if (!spec || !total) return null;
  const keras = total.trainable + total.nonTrainable;
  return (
    <section aria-label="Parameters by gate" className="inspector-section param-breakdown">
      <h3>Parameters by gate</h3>
      {spec.cells.map((cell, k) => (
        <CellTable key={cell.direction} cell={cell} label={spec.cells.length > 1 ? `${cell.direction} layer` : null} stats={stats.blocks?.[k]} />
      ))}
      <p className={`breakdown-total ${spec.params === keras ? 'ok' : 'bad'}`} aria-label="Breakdown total">
        {spec.cells.length > 1 ? `${spec.cells.map((c) => fmt(c.params)).join(' + ')} = ` : ''}<b>{fmt(spec.params)}</b>
        {spec.params === keras ? ' = the summary\'s Param #' : ` ≠ the summary's ${fmt(keras)}`}
      </p>
      {stats.note && <p className="muted breakdown-note">{stats.note}</p>}
    </section>
  );
}

function CellTable({ cell, label, stats }: { cell: CellSpec; label: string | null; stats?: readonly BlockStats[] }) {
  return (
    <table className="breakdown" aria-label={`Weights of the ${label ?? 'cell'}`}>
      {label && <caption>{label} · {cell.kind}({cell.units})</caption>}
      <tbody>
        {cell.weights.map((w, b) => (
          <BlockRows key={w.name} block={w} stats={stats?.[b]} />
        ))}
      </tbody>
    </table>
  );
}

function BlockRows({ block, stats }: { block: CellSpec['weights'][number]; stats?: BlockStats }) {
  return (
    <>
      <tr className="block" aria-label={`${block.name} ${shape(block.shape)} ${block.count}`}>
        <th scope="row"><code>{block.name}</code> <span className="muted">{block.symbol}</span></th>
        <td><code>{shape(block.shape)}</code></td>
        <td className="num">{fmt(block.count)}</td>
        {stats && <td className="num muted">rms</td>}
      </tr>
      {block.parts.map((p, k) => (
        <tr key={`${p.gate}${p.row ?? ''}`} className="part" title={p.label}>
          <th scope="row"><span className={`gate gate-${p.gate}`}>{p.gate}</span> {p.label}{p.row ? <span className="muted"> · {p.row} row</span> : null}</th>
          <td><code>{shape(p.shape)}</code></td>
          <td className="num">{fmt(p.count)}</td>
          {stats && <td className="num">{stats.parts[k]?.rms.toFixed(3)}</td>}
        </tr>
      ))}
    </>
  );
}

/** Weight sizes for this node: from the last run (when it trained this graph), else from the shown "look inside". */
function useStats(id: string): { blocks?: readonly (readonly BlockStats[])[]; note?: string } {
  const graph = useEditor(selectGraph);
  const store = useInsideStore();
  const train = useContext(TrainContext);
  const exportable = useStore(train ?? NO_TRAIN, (s: TrainState) => s.exportable);
  const status = useStore(train ?? NO_TRAIN, (s: TrainState) => s.status);
  const weights = useInside((s) => s.weights);
  const result = useInside((s) => s.result);
  const resultGraph = useInside((s) => s.resultGraph);
  useEffect(() => {
    if (!store || !exportable || status === 'running') return;
    if (weights && weights.graph === graph) return;
    void store.getState().refreshWeights(graph);
  }, [store, graph, exportable, status, weights]);
  if (weights?.stats && sameModel(weights.graph, graph) && weights.stats[id]) return { blocks: weights.stats[id], note: 'rms: root mean square of each block of the trained weights.' };
  if (result && resultGraph && sameModel(resultGraph, graph) && result.weightStats[id]) {
    return { blocks: result.weightStats[id], note: `rms: root mean square of each block of the ${result.weights === 'trained' ? 'trained' : 'fresh'} weights used by "Look inside".` };
  }
  return {};
}
