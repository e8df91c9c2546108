/**
 * Bidirectional wraps one SimpleRNN, LSTM or GRU and runs a copy of it backwards in time; the two
 * outputs are merged (concat by default). With return_state the outputs are, as in Keras 3:
 * output (or forward and backward outputs when merge_mode is None), then the forward states, then
 * the backward states. Params: twice those of the wrapped layer.
 */
import { withDefaults } from '../params.ts';
import type { TensorInfo } from '../shape.ts';
import type { Params, PortSpec } from '../types.ts';
import { defineLayer, MAIN_INPUT, type InferResult } from './define.ts';
import {
  checkInitialStates, checkSequenceInput, count, RECURRENT_KINDS, recurrentInputs, recurrentOutputs,
  recurrentCell, recurrentParamCount, recurrentSpecs, recurrentStateOutputs, recurrentWeights, type RecurrentKind, type RecurrentParams,
} from './recurrent.ts';
import type { RecurrentSpec } from './cell.ts';
import { applyRecurrent, callMasked, recurrentTfLayer } from './recurrent.ts';
import { spec } from './common.ts';
import { nodeSemantics } from '../versions.ts';

export type MergeMode = 'concat' | 'sum' | 'mul' | 'ave' | null;

export interface BidirectionalParams extends Params {
  readonly layer: { readonly kind: string; readonly params: Params };
  readonly merge_mode: MergeMode;
}

/** The wrapped layer's kind and its parameters with defaults filled. */
export function wrapped(p: BidirectionalParams): { kind: RecurrentKind; params: RecurrentParams } {
  const kind = p.layer.kind as RecurrentKind;
  return { kind, params: withDefaults(recurrentSpecs(kind), p.layer.params) as RecurrentParams };
}

/** The wrapped layer's name without a direction prefix ('lstm' for forward_lstm). */
function innerName(p: BidirectionalParams): string {
  const n = (p.layer as { name?: unknown }).name;
  const stems: Record<string, string> = { SimpleRNN: 'simple_rnn', LSTM: 'lstm', GRU: 'gru' };
  const name = typeof n === 'string' && n ? n : stems[p.layer.kind] ?? 'lstm';
  return name.replace(/^(forward|backward)_/, '');
}

function stateInputs(kind: RecurrentKind): PortSpec[] {
  return [...recurrentInputs(kind, 'forward_', 'fwd '), ...recurrentInputs(kind, 'backward_', 'bwd ')].map((s) => ({
    ...s, group: 'initial_state',
  }));
}

function outputPorts(p: BidirectionalParams): PortSpec[] {
  const { kind, params } = wrapped(p);
  const main: PortSpec[] = p.merge_mode === null
    ? [{ name: 'output_forward', label: 'fwd output' }, { name: 'output_backward', label: 'bwd output' }]
    : [{ name: 'output', label: 'output' }];
  const states = params.return_state
    ? [...recurrentStateOutputs(kind, 'forward_', 'fwd '), ...recurrentStateOutputs(kind, 'backward_', 'bwd ')]
    : [];
  return [...main, ...states];
}

export const Bidirectional = defineLayer<BidirectionalParams>({
  kind: 'Bidirectional',
  kerasClass: 'Bidirectional',
  defaultName: 'bidirectional',
  category: 'Wrappers',
  sequenceOutput: { param: 'return_sequences', inner: 'layer' },
  help: 'Runs the wrapped RNN forwards and a copy backwards in time and merges both (past and future context).',
  params: [
    {
      name: 'layer', type: 'layer', default: { kind: 'LSTM', params: { units: 8 } }, kinds: RECURRENT_KINDS,
      help: 'The recurrent layer to run in both directions.',
    },
    {
      name: 'merge_mode', type: 'enum', default: 'concat', options: ['concat', 'sum', 'mul', 'ave', null],
      help: 'How the two directions are combined: concat doubles the units; sum, mul and ave keep them; None returns both.',
    },
    spec.semantics('its masked steps and its masking with initial_state'),
  ],
  keyParams: ['merge_mode'],
  keras: {
    keys: ['merge_mode', 'layer', 'backward_layer'],
    positional: ['layer'],
    callMask: true,
    // Keras 3 writes both directions: `forward_<name>`, and `backward_<name>` with go_backwards on;
    // both get zero_output_for_mask = return_sequences.
    toConfig: (p, ctx) => {
      const name = ctx.nestedName(p.layer);
      const zero = { zero_output_for_mask: wrapped(p).params.return_sequences };
      return {
        merge_mode: p.merge_mode,
        layer: ctx.nested(p.layer, `forward_${name.replace(/^forward_/, '')}`, ctx.inputShape, zero),
        backward_layer: ctx.nested(p.layer, `backward_${name.replace(/^backward_/, '')}`, ctx.inputShape, { ...zero, go_backwards: true }),
      };
    },
    fromConfig: (c, ctx) => {
      const fwd = ctx.nested(c.layer, 'layer');
      if (c.backward_layer !== undefined && c.backward_layer !== null) {
        const bwd = ctx.nested(c.backward_layer, 'backward_layer');
        const differs = Object.keys({ ...fwd.params, ...bwd.params })
          .filter((k) => k !== 'go_backwards' && JSON.stringify(fwd.params[k]) !== JSON.stringify(bwd.params[k]));
        if (bwd.kind !== fwd.kind || differs.length) {
          throw new Error(`backward_layer: differs from layer in ${bwd.kind !== fwd.kind ? 'its class' : differs.join(', ')}; Unroll supports only a backward layer that mirrors the forward one`);
        }
      }
      const mode = c.merge_mode === undefined ? 'concat' : c.merge_mode;
      return { layer: { ...fwd, name: fwd.name.replace(/^forward_/, '') }, merge_mode: mode as MergeMode };
    },
  },
  inputs: (p) => [MAIN_INPUT, ...stateInputs(wrapped(p).kind)],
  // Keras 3: forward_layer's variables, then backward_layer's (layer.weights of each, in order).
  weights: (p, inputs) => {
    const x = inputs[0];
    const i = x?.shape.length === 3 ? x.shape[2] : null;
    if (i === null || i === undefined) return null;
    const { kind, params } = wrapped(p);
    const name = innerName(p);
    return [
      ...recurrentWeights(kind, params, i, `forward_${name}/`, 'forward_layer/'),
      ...recurrentWeights(kind, params, i, `backward_${name}/`, 'backward_layer/'),
    ];
  },
  outputs: outputPorts,
  // Keras: the backward layer is a copy of the wrapped one with go_backwards flipped.
  recurrent: (p, i): RecurrentSpec => {
    const { kind, params } = wrapped(p);
    const fwd = recurrentCell(kind, params, i, 'forward', 'forward_layer/');
    const bwd = recurrentCell(kind, params, i, 'backward', 'backward_layer/', !params.go_backwards);
    const ports = (prefix: string) => recurrentInputs(kind, prefix).map((s) => s.name);
    const outs = (prefix: string) => (params.return_state ? recurrentStateOutputs(kind, prefix).map((s) => s.name) : []);
    return {
      cells: [fwd, bwd],
      merge: p.merge_mode,
      initialStatePorts: [ports('forward_'), ports('backward_')],
      stateOutputPorts: [outs('forward_'), outs('backward_')],
      outputPorts: outputPorts(p).slice(0, p.merge_mode === null ? 2 : 1).map((o) => o.name),
      params: fwd.params + bwd.params,
    };
  },
  infer: (p, ctx): InferResult => {
    const { kind, params } = wrapped(p);
    const ports = outputPorts(p);
    const x = ctx.inputs[0]!;
    const bad = checkSequenceInput(ctx, 'Bidirectional', x);
    if (bad) return { outputs: ports.map(() => null), params: null, issues: [bad] };
    const issues = checkInitialStates(ctx, `Bidirectional(${kind})`, stateInputs(kind), 1, params.units);
    const width = p.merge_mode === 'concat' ? 2 * params.units : params.units;
    const one = recurrentOutputs(kind, params, x);
    const merged = recurrentOutputs(kind, params, x, width);
    const main: TensorInfo[] = p.merge_mode === null ? [one.output, one.output] : [merged.output];
    return {
      outputs: [...main, ...one.states, ...one.states],
      params: count(2 * recurrentParamCount(kind, params, x.shape[2]!)),
      issues,
    };
  },
  // The wrapped layer trusts the mask Bidirectional hands it; Bidirectional itself drops a stale one.
  build: (_tf, p, ctx) => {
    const { kind, params } = wrapped(p);
    const inner = recurrentTfLayer(kind, params, kind === 'SimpleRNN' ? 'simple_rnn' : kind.toLowerCase(), ctx.kit, true);
    const layer = ctx.kit.bidirectional({
      name: ctx.name, layer: inner, mergeMode: p.merge_mode, maskIn: ctx.inputs[0]?.masked ?? false,
      maskCall: callMasked(p, ctx.inputs), zeroMasked: nodeSemantics(p).bidirectionalMasked === 'zeros',
    });
    return { layer, apply: (xs) => applyRecurrent(layer, xs) };
  },
});
