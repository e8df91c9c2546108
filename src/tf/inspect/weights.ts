/**
 * The size of each gate's block of a recurrent layer's current weights (kernel, recurrent_kernel,
 * bias split as src/core/layers/cell.ts describes): root mean square and largest |value|. The
 * inspector's parameter breakdown shows them next to the counts once weights exist.
 */
import type { GraphInference } from '../../core/infer.ts';
import type { Graph } from '../../core/types.ts';
import { recurrentSpecOf } from '../../core/unrolled.ts';
import type { CompiledModel } from '../compile.ts';

export interface PartStats {
  readonly gate: string;
  readonly row?: 'input' | 'recurrent';
  readonly rms: number;
  readonly maxAbs: number;
}

export interface BlockStats {
  readonly name: string;
  readonly parts: readonly PartStats[];
}

/** Per recurrent node id: per cell (direction), per weight block. */
export type WeightStats = Record<string, readonly (readonly BlockStats[])[]>;

export function weightStats(compiled: CompiledModel, graph: Graph, inference: GraphInference): WeightStats {
  const out: WeightStats = {};
  for (const node of graph.nodes) {
    const layer = compiled.layers.get(node.id);
    const spec = layer ? recurrentSpecOf(graph, inference, node.id) : null;
    if (!layer || !spec) continue;
    const vars = layer.weights;
    let v = 0;
    out[node.id] = spec.cells.map((cell) => cell.weights.map((block): BlockStats => {
      const w = vars[v++];
      const data = w.read().dataSync();
      const width = block.shape[block.shape.length - 1];
      return {
        name: block.name,
        parts: block.parts.map((p) => {
          let sum = 0, max = 0, n = 0;
          for (let r = p.rows[0]; r < p.rows[1]; r++) {
            for (let c = p.cols[0]; c < p.cols[1]; c++) {
              const x = data[r * width + c];
              sum += x * x;
              max = Math.max(max, Math.abs(x));
              n++;
            }
          }
          return { gate: p.gate, ...(p.row ? { row: p.row } : {}), rms: Math.sqrt(sum / n), maxAbs: max };
        }),
      };
    }));
  }
  return out;
}
