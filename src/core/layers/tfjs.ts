/**
 * The contract of a layer definition's TF.js build hook, and small pure helpers the hooks share.
 *
 * `def.build(tf, params, ctx)` creates the TF.js layer of one node and says how to wire it into a
 * functional model; src/tf/compile.ts calls it with the real TF.js module and the kit from
 * src/tf/kit.ts (Unroll's own TF.js layer classes and name maps, which give Keras 3 semantics where
 * TF.js 4.22 differs). Only types come from TF.js here: core never imports it at run time.
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { TensorInfo } from '../shape.ts';

/** The TF.js module (`import * as tf from '@tensorflow/tfjs'`), passed in by the caller. */
export type TF = typeof tfjs;
export type TfLayer = tfjs.layers.Layer;
export type TfSymbolic = tfjs.SymbolicTensor;
/** A TF.js activation identifier (including those the kit registers). */
export type TfActivation = NonNullable<tfjs.LSTMLayerArgs['activation']>;
/** A TF.js initializer identifier or instance. */
export type TfInitializer = NonNullable<tfjs.LSTMLayerArgs['kernelInitializer']>;

/**
 * Whether Keras 3 passes a mask into the layer (core's `TensorInfo.masked` of its input). TF.js's
 * graph executor can hand a layer a stale mask from an earlier layer; Unroll's mask-consuming
 * layers drop whatever mask they get when this is false. Default true (trust TF.js).
 */
/** How a merge layer combines its inputs' masks (src/core/versions.ts `mergeMask`). */
export type MaskRule = 'and' | 'none' | 'or';

export interface MaskGate {
  readonly maskIn?: boolean;
  /**
   * Whether `call` uses that mask (default `maskIn`). False for a Keras 3 RNN called with
   * initial_state: it computes unmasked, yet its output keeps the mask (computeMask still gets it).
   */
  readonly maskCall?: boolean;
}

export type MergeModeTf = 'concat' | 'sum' | 'mul' | 'ave' | null;

/** What src/tf gives build hooks: layer constructors with Keras 3 semantics, and name maps. */
export interface TfjsKit {
  /** Keras activation name → TF.js identifier (e.g. 'hard_sigmoid' → Keras's relu6(x+3)/6). */
  activation(keras: string): TfActivation;
  /** Keras initializer name → TF.js initializer with Keras 3's distribution. */
  initializer(keras: string): TfInitializer;
  simpleRNN(args: tfjs.SimpleRNNLayerArgs & MaskGate): TfLayer;
  lstm(args: tfjs.LSTMLayerArgs & MaskGate): TfLayer;
  /** Keras's GRU (both reset_after values, Keras weight layout). */
  gru(args: tfjs.GRULayerArgs & MaskGate & { readonly resetAfter: boolean }): TfLayer;
  /** Bidirectional that writes zeros at masked steps when returning sequences (`zeroMasked`, default: tf.keras and Keras 3; Keras 2.0–2.3 kept the previous output). */
  bidirectional(args: { readonly name: string; readonly layer: TfLayer; readonly mergeMode: MergeModeTf; readonly zeroMasked?: boolean } & MaskGate): TfLayer;
  /** Mean over time; with a mask, over unmasked steps only (Keras 3). */
  globalAveragePooling1D(args: { readonly name: string } & MaskGate): TfLayer;
  /** Add with the output mask of the node's Keras (`maskRule`, default 'or': Keras 3.4+). */
  add(args: { readonly name: string; readonly maskRule?: MaskRule } & MaskGate): TfLayer;
  /** Concatenate with the output mask of the node's Keras (`maskRule`; works along any axis). */
  concatenate(args: { readonly name: string; readonly axis: number; readonly maskRule?: MaskRule } & MaskGate): TfLayer;
  /** Flatten that accepts rank 2 and unknown sizes (TF.js's needs rank ≥ 3, all sizes known). */
  flatten(args: { readonly name: string }): TfLayer;
}

export interface BuildContext {
  /** The node's name: the TF.js layer name. */
  readonly name: string;
  readonly kit: TfjsKit;
  /** Core's tensors at the node's input ports (aligned with `inputs(params)`); undefined where unconnected. */
  readonly inputs: readonly (TensorInfo | undefined)[];
}

export interface BuildResult {
  /** The TF.js layer that carries the node's name and weights. */
  readonly layer: TfLayer;
  /**
   * Applies the layer to symbolic tensors aligned with the node's input ports (undefined where
   * unconnected); returns one tensor per output port, in port order.
   */
  readonly apply: (inputs: readonly (TfSymbolic | undefined)[]) => TfSymbolic[];
}

/** `layer.apply` on symbolic tensors, its result as a list. */
export function applySymbolic(layer: TfLayer, x: TfSymbolic | TfSymbolic[], kwargs?: Record<string, unknown>): TfSymbolic[] {
  const y = layer.apply(x, kwargs) as TfSymbolic | TfSymbolic[];
  return Array.isArray(y) ? y : [y];
}

/** The usual case: one main input, one output. */
export function single(layer: TfLayer): BuildResult {
  return { layer, apply: (xs) => applySymbolic(layer, xs[0]!) };
}

/** Whether Keras passes a mask into a layer with these inputs. */
export function anyMasked(inputs: readonly (TensorInfo | undefined)[]): boolean {
  return inputs.some((t) => t?.masked === true);
}
