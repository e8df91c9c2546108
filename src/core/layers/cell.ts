/**
 * What a recurrent layer *is* inside: one cell (SimpleRNN, LSTM or GRU) applied at every time step
 * with the same weights — per direction, in Keras's weight layout. Layer definitions expose it with
 * the `recurrent` hook (define.ts); the inspector's parameter breakdown, the unrolled view and the
 * probes (src/tf/inspect) read it, so none of them asks which kind a node is.
 *
 * Keras 3 weight layout (keras/src/layers/rnn/{simple_rnn,lstm,gru}.py), input size i, units u,
 * g gates (SimpleRNN 1, LSTM 4, GRU 3):
 *   kernel            (i, g·u)   columns grouped by gate: LSTM i, f, c, o; GRU z, r, h
 *   recurrent_kernel  (u, g·u)   same column groups
 *   bias              (g·u)      same groups; GRU with reset_after: (2, 3u), row 0 the input bias,
 *                                row 1 the recurrent bias
 */
import type { Params } from '../types.ts';

export type CellKind = 'SimpleRNN' | 'LSTM' | 'GRU';
export type Direction = 'forward' | 'backward';

/** One gate's column group, in Keras's order. */
export interface GateSpec {
  /** Keras's letter for the column group: i, f, c, o (LSTM); z, r, h (GRU); h (SimpleRNN). */
  readonly key: string;
  readonly label: string;
  /** What the probe reports for it ('g' is the candidate, as `unroll inspect` names it). */
  readonly trace: string;
  readonly activation: 'recurrent_activation' | 'activation';
}

/** A slice of one weight variable that belongs to one gate (and, for GRU reset_after, one bias row). */
export interface WeightPart {
  readonly gate: string;
  readonly label: string;
  /** The row of a (2, 3u) GRU bias: 'input' (row 0) or 'recurrent' (row 1). */
  readonly row?: 'input' | 'recurrent';
  readonly shape: readonly number[];
  readonly count: number;
  /** Where it lies in the variable: rows [r0, r1) × columns [c0, c1) (1-D biases: r0 = 0, r1 = 1). */
  readonly rows: readonly [number, number];
  readonly cols: readonly [number, number];
}

/** One weight variable of a cell, split into its gates. */
export interface WeightBlock {
  readonly name: 'kernel' | 'recurrent_kernel' | 'bias';
  /** The symbol the lesson uses: W (input weights), U (recurrent weights), b. */
  readonly symbol: 'W' | 'U' | 'b';
  readonly shape: readonly number[];
  readonly count: number;
  readonly parts: readonly WeightPart[];
}

/** One direction of a recurrent layer: a cell and how it runs. */
export interface CellSpec {
  readonly kind: CellKind;
  readonly direction: Direction;
  /** Prefix of the weight paths inside the layer ('' or 'forward_layer/' / 'backward_layer/'). */
  readonly path: string;
  readonly units: number;
  /** Reads the sequence from the last step to the first. */
  readonly goBackwards: boolean;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  /** State names in Keras's order (h, then c for LSTM). */
  readonly states: readonly string[];
  readonly gates: readonly GateSpec[];
  /** Activation names (for the cell diagram). */
  readonly activation: string;
  readonly recurrentActivation?: string;
  readonly weights: readonly WeightBlock[];
  readonly params: number;
}

/** The whole layer: one cell per direction, and how their outputs merge. */
export interface RecurrentSpec {
  readonly cells: readonly CellSpec[];
  /** Bidirectional only: how the two outputs combine (null: both returned). */
  readonly merge?: 'concat' | 'sum' | 'mul' | 'ave' | null;
  /** Input port names that carry initial states, per cell, in state order. */
  readonly initialStatePorts: readonly (readonly string[])[];
  /** Output port names of the final states, per cell, in state order ([] without return_state). */
  readonly stateOutputPorts: readonly (readonly string[])[];
  /** Output ports of the sequence/last output (one, or two for merge_mode None). */
  readonly outputPorts: readonly string[];
  readonly params: number;
}

const LSTM_GATES: readonly GateSpec[] = [
  { key: 'i', label: 'input gate', trace: 'i', activation: 'recurrent_activation' },
  { key: 'f', label: 'forget gate', trace: 'f', activation: 'recurrent_activation' },
  { key: 'c', label: 'cell candidate', trace: 'g', activation: 'activation' },
  { key: 'o', label: 'output gate', trace: 'o', activation: 'recurrent_activation' },
];
const GRU_GATES: readonly GateSpec[] = [
  { key: 'z', label: 'update gate', trace: 'z', activation: 'recurrent_activation' },
  { key: 'r', label: 'reset gate', trace: 'r', activation: 'recurrent_activation' },
  { key: 'h', label: 'candidate', trace: 'g', activation: 'activation' },
];
const RNN_GATES: readonly GateSpec[] = [{ key: 'h', label: 'state', trace: 'h', activation: 'activation' }];

export function cellGates(kind: CellKind): readonly GateSpec[] {
  return kind === 'LSTM' ? LSTM_GATES : kind === 'GRU' ? GRU_GATES : RNN_GATES;
}

/** Column groups of a (rows, g·u) matrix. */
function matrixParts(gates: readonly GateSpec[], rows: number, u: number): WeightPart[] {
  return gates.map((g, k) => ({
    gate: g.key, label: g.label, shape: [rows, u], count: rows * u, rows: [0, rows], cols: [k * u, (k + 1) * u],
  }));
}

/**
 * Keras's weights of one cell with input size `i`, each split by gate. The counts add up to
 * Keras's parameter count (tested for every template).
 */
export function cellWeights(kind: CellKind, p: Params & { units: number; use_bias: boolean; reset_after?: boolean }, i: number): WeightBlock[] {
  const u = p.units;
  const gates = cellGates(kind);
  const g = gates.length;
  const blocks: WeightBlock[] = [
    { name: 'kernel', symbol: 'W', shape: [i, g * u], count: i * g * u, parts: matrixParts(gates, i, u) },
    { name: 'recurrent_kernel', symbol: 'U', shape: [u, g * u], count: u * g * u, parts: matrixParts(gates, u, u) },
  ];
  if (p.use_bias) {
    const twoRows = kind === 'GRU' && (p.reset_after ?? true);
    const parts: WeightPart[] = [];
    const rows: ('input' | 'recurrent' | undefined)[] = twoRows ? ['input', 'recurrent'] : [undefined];
    rows.forEach((row, r) => gates.forEach((gt, k) => parts.push({
      gate: gt.key, label: gt.label, ...(row ? { row } : {}), shape: [u], count: u, rows: [r, r + 1], cols: [k * u, (k + 1) * u],
    })));
    blocks.push({ name: 'bias', symbol: 'b', shape: twoRows ? [2, g * u] : [g * u], count: rows.length * g * u, parts });
  }
  return blocks;
}
