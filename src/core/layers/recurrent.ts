/**
 * What SimpleRNN, LSTM and GRU share (Keras's `RNN` base): parameters, ports for `initial_state` and
 * `return_state`, the shape rule, the mask rule and the parameter count. Bidirectional uses the same
 * functions for each direction.
 */
import { KERAS2_HARD_SIGMOID, type ParamSpec } from '../params.ts';
import type { Shape, TensorInfo } from '../shape.ts';
import type { ParamCount, Params, PortSpec } from '../types.ts';
import { issues } from '../issues.ts';
import { nodeSemantics } from '../versions.ts';
import { MAIN_INPUT, MAIN_OUTPUT, type InferContext, type KerasHooks, type LayerDef, type LocalIssue, type WeightSpec } from './define.ts';
import { expectFloat, expectKnownLast, spec } from './common.ts';
import { applySymbolic, type TfjsKit, type TfLayer, type TfSymbolic } from './tfjs.ts';
import { cellGates, cellWeights, type CellSpec, type Direction, type RecurrentSpec } from './cell.ts';

export type RecurrentKind = 'SimpleRNN' | 'LSTM' | 'GRU';
export const RECURRENT_KINDS: readonly RecurrentKind[] = ['SimpleRNN', 'LSTM', 'GRU'];

export interface RecurrentParams extends Params {
  readonly units: number;
  readonly activation: string;
  readonly recurrent_activation?: string;
  readonly use_bias: boolean;
  readonly return_sequences: boolean;
  readonly return_state: boolean;
  readonly go_backwards: boolean;
  readonly dropout: number;
  readonly recurrent_dropout: number;
  readonly unit_forget_bias?: boolean;
  readonly reset_after?: boolean;
}

/** State names, in Keras's order. */
export function stateNames(kind: RecurrentKind): readonly string[] {
  return kind === 'LSTM' ? ['h', 'c'] : ['h'];
}

const GATES: Record<RecurrentKind, number> = { SimpleRNN: 1, LSTM: 4, GRU: 3 };

/** Keras 3 weight count for input size `i`. */
export function recurrentParamCount(kind: RecurrentKind, p: RecurrentParams, i: number): number {
  const u = p.units;
  const g = GATES[kind];
  const kernel = i * g * u;
  const recurrent = u * g * u;
  let bias = 0;
  if (p.use_bias) bias = kind === 'GRU' && p.reset_after ? 2 * g * u : g * u;
  return kernel + recurrent + bias;
}

/** Keras 3's name of the cell an RNN layer creates ('lstm_cell'…): the middle of its variable paths. */
export const CELL_NAMES: Record<RecurrentKind, string> = { SimpleRNN: 'simple_rnn_cell', LSTM: 'lstm_cell', GRU: 'gru_cell' };

/**
 * The variables of one recurrent layer for input size `i`, in Keras's order: kernel (i, g·u),
 * recurrent_kernel (u, g·u), bias (g·u) — or (2, 3u) for GRU with reset_after. Gate order along
 * the last axis: LSTM i, f, c, o; GRU z, r, h. `path`/`store` get the prefixes of a wrapper
 * (Bidirectional: 'forward_lstm/' and 'forward_layer/').
 */
export function recurrentWeights(kind: RecurrentKind, p: RecurrentParams, i: number, pathPrefix = '', storePrefix = ''): WeightSpec[] {
  const u = p.units;
  const g = GATES[kind];
  const cell = `${pathPrefix}${CELL_NAMES[kind]}/`;
  const store = `${storePrefix}cell/vars/`;
  const out: WeightSpec[] = [
    { name: 'kernel', path: `${cell}kernel`, store: `${store}0`, shape: [i, g * u] },
    { name: 'recurrent_kernel', path: `${cell}recurrent_kernel`, store: `${store}1`, shape: [u, g * u] },
  ];
  if (p.use_bias) {
    out.push({ name: 'bias', path: `${cell}bias`, store: `${store}2`, shape: kind === 'GRU' && p.reset_after ? [2, g * u] : [g * u] });
  }
  return out;
}

export function recurrentSpecs(kind: RecurrentKind): ParamSpec[] {
  const specs: ParamSpec[] = [
    spec.units(kind === 'SimpleRNN' ? 32 : 16, 'Size of the hidden state, and of the output at each step.'),
    spec.activation('tanh', 'Activation of the candidate state / output (Keras default tanh).'),
  ];
  if (kind !== 'SimpleRNN') {
    specs.push({
      name: 'recurrent_activation', type: 'enum', default: 'sigmoid',
      options: ['sigmoid', 'hard_sigmoid', 'tanh', 'relu', 'linear', 'softsign', KERAS2_HARD_SIGMOID],
      help: 'Activation of the gates (Keras 3 default sigmoid; TF.js would default to hard_sigmoid).',
    });
  }
  specs.push(
    spec.useBias(),
    { name: 'return_sequences', type: 'bool', default: false, onNode: true,
      help: 'Return the output at every time step (None, time, units) instead of only the last one (None, units). Needed to stack recurrent layers.' },
    { name: 'return_state', type: 'bool', default: false, onNode: true,
      help: kind === 'LSTM'
        ? 'Also return the final states h and c as extra outputs (for encoder–decoder models).'
        : 'Also return the final state h as an extra output (for encoder–decoder models).' },
    { name: 'go_backwards', type: 'bool', default: false, help: 'Process the sequence from the last step to the first (and return the reversed sequence).' },
    spec.rate('dropout', 'Fraction of the input units to drop at each step while training.'),
    spec.rate('recurrent_dropout', 'Fraction of the recurrent state units to drop while training.'),
  );
  if (kind === 'LSTM') {
    specs.push({ name: 'unit_forget_bias', type: 'bool', default: true, help: 'Start the forget-gate bias at 1 (Keras default; TF.js defaults to off).' });
  }
  if (kind === 'GRU') {
    specs.push({ name: 'reset_after', type: 'bool', default: true,
      help: 'Apply the reset gate after the recurrent matrix multiplication (Keras 3 default, CuDNN-compatible; adds a second bias vector).' });
  }
  specs.push(
    spec.initializer('kernel_initializer', 'glorot_uniform', 'Initializer of the input weights.'),
    spec.initializer('recurrent_initializer', 'orthogonal', 'Initializer of the recurrent weights.'),
    spec.initializer('bias_initializer', 'zeros', 'Initializer of the bias.'),
  );
  return specs;
}

/** Input ports of a recurrent layer: the sequence, then optional initial states (all or none). */
export function recurrentInputs(kind: RecurrentKind, prefix = '', dirLabel = ''): PortSpec[] {
  return stateNames(kind).map((s) => ({
    name: prefix + s,
    label: dirLabel + s,
    optional: true,
    group: prefix + 'initial_state',
    help: `Initial ${s === 'c' ? 'cell' : 'hidden'} state ${dirLabel}${s} (None, units); zeros when not connected.`,
  }));
}

export function recurrentStateOutputs(kind: RecurrentKind, prefix = '', dirLabel = ''): PortSpec[] {
  return stateNames(kind).map((s) => ({
    name: prefix + s,
    label: dirLabel + s,
    help: `Final ${s === 'c' ? 'cell' : 'hidden'} state ${dirLabel}${s} (None, units).`,
    state: true,
  }));
}

/**
 * Checks the sequence input and returns its feature size, or an issue. Keras RNNs need
 * (batch, time, features) floats with a known feature size.
 */
export function checkSequenceInput(ctx: InferContext, kind: string, x: TensorInfo): LocalIssue | null {
  if (x.shape.length !== 3) {
    return issues.rankMismatch(ctx.node.name, kind, '(batch, time, features)', x.shape, ctx.sources[0]);
  }
  return expectFloat(ctx, kind, x) ?? expectKnownLast(ctx, x, 'the number of features per step');
}

/**
 * Checks connected initial states: all of a group or none, each (None, units).
 * `ports` are the state input ports in order; `offset` is their index in ctx.inputs.
 */
export function checkInitialStates(
  ctx: InferContext, kind: string, ports: readonly PortSpec[], offset: number, units: number,
): LocalIssue[] {
  const out: LocalIssue[] = [];
  const connected = ports.map((_, k) => ctx.sources[offset + k] !== undefined);
  if (connected.some(Boolean) && !connected.every(Boolean)) {
    const missing = ports.filter((_, k) => !connected[k]).map((p) => p.name);
    out.push(issues.stateGroupPartial(ctx.node.name, kind, missing, ports.map((p) => p.name)));
  }
  ports.forEach((port, k) => {
    const t = ctx.inputs[offset + k];
    if (!t) return;
    const ok = t.shape.length === 2 && (t.shape[1] === units || t.shape[1] === null);
    if (!ok) out.push(issues.stateShape(ctx.node.name, port.name, units, t.shape, ctx.sources[offset + k]));
  });
  return out;
}

/** Output tensors of one direction: the output, then the states when return_state is on. */
export function recurrentOutputs(kind: RecurrentKind, p: RecurrentParams, x: TensorInfo, width = p.units): {
  output: TensorInfo; states: TensorInfo[];
} {
  const [b, t] = x.shape;
  const shape: Shape = p.return_sequences ? [b, t, width] : [b, width];
  // Keras 3 RNN.compute_mask: the output keeps the input mask only when it is a sequence.
  const output: TensorInfo = { shape, dtype: 'float32', masked: p.return_sequences && x.masked };
  const states = p.return_state
    ? stateNames(kind).map((): TensorInfo => ({ shape: [b, p.units], dtype: 'float32', masked: false }))
    : [];
  return { output, states };
}

/** One direction of a recurrent layer as a cell description (cell.ts); `path` prefixes its weight paths. */
export function recurrentCell(kind: RecurrentKind, p: RecurrentParams, i: number, direction: Direction = 'forward', path = '', goBackwards = p.go_backwards): CellSpec {
  const weights = cellWeights(kind, p, i);
  return {
    kind, direction, path, units: p.units, goBackwards,
    returnSequences: p.return_sequences, returnState: p.return_state,
    states: stateNames(kind), gates: cellGates(kind),
    activation: p.activation, ...(kind === 'SimpleRNN' ? {} : { recurrentActivation: p.recurrent_activation ?? 'sigmoid' }),
    weights, params: weights.reduce((n, w) => n + w.count, 0),
  };
}

export function count(trainable: number): ParamCount {
  return { trainable, nonTrainable: 0 };
}

/** Keras 3 get_config() of SimpleRNN, LSTM and GRU: RNN's keys, then the cell's, in Keras's order. */
export function recurrentKeras(kind: RecurrentKind): KerasHooks {
  const init = ['kernel_initializer', 'recurrent_initializer', 'bias_initializer'];
  const regs = [
    'kernel_regularizer', 'recurrent_regularizer', 'bias_regularizer', 'activity_regularizer',
    'kernel_constraint', 'recurrent_constraint', 'bias_constraint',
  ];
  const cell = kind === 'SimpleRNN'
    ? ['units', 'activation', 'use_bias', ...init, ...regs, 'dropout', 'recurrent_dropout']
    : kind === 'LSTM'
      ? ['units', 'activation', 'recurrent_activation', 'use_bias', ...init, 'unit_forget_bias', ...regs, 'dropout', 'recurrent_dropout', 'seed']
      : ['units', 'activation', 'recurrent_activation', 'use_bias', ...init, ...regs, 'dropout', 'recurrent_dropout', 'reset_after', 'seed'];
  const fixed: Record<string, null | boolean> = { stateful: false, unroll: false, zero_output_for_mask: false, seed: null };
  for (const r of regs) fixed[r] = null;
  return {
    keys: ['return_sequences', 'return_state', 'go_backwards', 'stateful', 'unroll', 'zero_output_for_mask', ...cell],
    fixed,
    positional: ['units'],
    callMask: true,
  };
}

/** Builds the definition of one recurrent kind; simpleRnn.ts, lstm.ts and gru.ts call it. */
export function recurrentLayer(kind: RecurrentKind, meta: { defaultName: string; help: string }): LayerDef<RecurrentParams> {
  const states = recurrentInputs(kind);
  return {
    kind,
    kerasClass: kind,
    defaultName: meta.defaultName,
    category: 'Recurrent',
    help: meta.help,
    params: [...recurrentSpecs(kind), spec.semantics('its masking with initial_state')],
    keyParams: ['units'],
    inputs: () => [MAIN_INPUT, ...states],
    swapsWith: RECURRENT_KINDS.filter((k) => k !== kind),
    sequenceOutput: { param: 'return_sequences' },
    keras: recurrentKeras(kind),
    outputs: (p) => [MAIN_OUTPUT, ...(p.return_state ? recurrentStateOutputs(kind) : [])],
    weights: (p, inputs) => {
      const x = inputs[0];
      const i = x?.shape.length === 3 ? x.shape[2] : null;
      return i === null || i === undefined ? null : recurrentWeights(kind, p, i);
    },
    recurrent: (p, i): RecurrentSpec => {
      const cell = recurrentCell(kind, p, i);
      return {
        cells: [cell],
        initialStatePorts: [states.map((s) => s.name)],
        stateOutputPorts: [p.return_state ? recurrentStateOutputs(kind).map((s) => s.name) : []],
        outputPorts: [MAIN_OUTPUT.name],
        params: cell.params,
      };
    },
    build: (_tf, p, ctx) => {
      const layer = recurrentTfLayer(kind, p, ctx.name, ctx.kit, ctx.inputs[0]?.masked ?? false, callMasked(p, ctx.inputs));
      return { layer, apply: (xs) => applyRecurrent(layer, xs) };
    },
    infer: (p, ctx) => {
      const n = 1 + (p.return_state ? states.length : 0);
      const x = ctx.inputs[0]!;
      const bad = checkSequenceInput(ctx, kind, x);
      if (bad) return { outputs: Array(n).fill(null), params: null, issues: [bad] };
      const stateIssues = checkInitialStates(ctx, kind, states, 1, p.units);
      const { output, states: st } = recurrentOutputs(kind, p, x);
      return {
        outputs: [output, ...st],
        params: count(recurrentParamCount(kind, p, x.shape[2]!)),
        issues: stateIssues,
      };
    },
  };
}

/**
 * Whether the layer's call uses its input's mask: always in Keras 2; in Keras 3 not when it is
 * called with initial_state (Layer.__call__ fills `mask` only for a call with one tensor argument),
 * though its output sequence still carries the mask. `inputs`: aligned with the ports (states after the sequence).
 */
export function callMasked(p: Params, inputs: readonly ({ readonly masked: boolean } | undefined)[]): boolean {
  if (!inputs[0]?.masked) return false;
  return nodeSemantics(p).initialStateMask || inputs.slice(1).every((s) => s === undefined);
}

/**
 * The TF.js layer for one recurrent kind with every Keras 3 default written out (TF.js's own
 * defaults differ: hard_sigmoid gates, glorot_normal kernels, no unit forget bias).
 * `maskIn`: whether Keras passes a mask into it, `maskCall` whether its call uses it (see tfjs.ts MaskGate).
 */
export function recurrentTfLayer(kind: RecurrentKind, p: RecurrentParams, name: string, kit: TfjsKit, maskIn: boolean, maskCall = maskIn): TfLayer {
  const init = (key: string, def: string) => kit.initializer(typeof p[key] === 'string' ? (p[key] as string) : def);
  const base = {
    name, units: p.units, activation: kit.activation(p.activation), useBias: p.use_bias,
    returnSequences: p.return_sequences, returnState: p.return_state, goBackwards: p.go_backwards,
    dropout: p.dropout, recurrentDropout: p.recurrent_dropout,
    kernelInitializer: init('kernel_initializer', 'glorot_uniform'),
    recurrentInitializer: init('recurrent_initializer', 'orthogonal'),
    biasInitializer: init('bias_initializer', 'zeros'),
    maskIn,
    maskCall,
  };
  const gates = kit.activation(p.recurrent_activation ?? 'sigmoid');
  if (kind === 'LSTM') return kit.lstm({ ...base, recurrentActivation: gates, unitForgetBias: p.unit_forget_bias ?? true });
  if (kind === 'GRU') return kit.gru({ ...base, recurrentActivation: gates, resetAfter: p.reset_after ?? true });
  return kit.simpleRNN(base);
}

/** Applies a recurrent layer (or Bidirectional) to its sequence and, when wired, its initial states. */
export function applyRecurrent(layer: TfLayer, xs: readonly (TfSymbolic | undefined)[]): TfSymbolic[] {
  const states = xs.slice(1).filter((s): s is TfSymbolic => s !== undefined);
  return applySymbolic(layer, xs[0]!, states.length ? { initialState: states } : undefined);
}
