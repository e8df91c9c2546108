/**
 * The contract of one layer kind. Each file in this folder exports one `LayerDef`; registry.ts
 * collects them. Everything Unroll knows about a kind lives in its definition: parameters, ports,
 * the shape rule, the parameter count and the Keras config. Code that needs TF.js receives it as an
 * argument (see src/tf/); core never imports TF.js at run time.
 */
import type { ParamSpec } from '../params.ts';
import type { TensorInfo } from '../shape.ts';
import type { GraphNode, Issue, ParamCount, Params, PortSpec } from '../types.ts';
import type { BuildContext, BuildResult, TF } from './tfjs.ts';
import type { RecurrentSpec } from './cell.ts';

export type Category = 'Inputs' | 'Recurrent' | 'Core' | 'Merge' | 'Wrappers' | 'Outputs';

/** Where an input comes from, for messages that name the layer before. */
export interface Source {
  readonly node: GraphNode;
  readonly port: string;
  /** The upstream layer's definition (issues read its hooks, e.g. `sequenceOutput`, without importing the registry). */
  readonly def?: LayerDef;
}

export interface InferContext {
  readonly node: GraphNode;
  /** Aligned with `inputs(params)`; undefined where nothing is connected or the shape is unknown. */
  readonly inputs: readonly (TensorInfo | undefined)[];
  /** Aligned with `inputs(params)`; the upstream port of each connected input. */
  readonly sources: readonly (Source | undefined)[];
}

/** An issue before inference places it at the node. */
export type LocalIssue = Omit<Issue, 'nodeId'>;

export interface InferResult {
  /** One per output port; null where unknown. */
  readonly outputs: readonly (TensorInfo | null)[];
  /** Null when it cannot be known yet (input shape unknown). */
  readonly params: ParamCount | null;
  readonly issues?: readonly LocalIssue[];
}

export interface LayerDef<P extends Params = Params> {
  readonly kind: string;
  /** Keras class name as in `model.summary()` and `to_json()`. */
  readonly kerasClass: string;
  /** Keras's automatic name stem: 'lstm', 'simple_rnn', 'input_layer'… */
  readonly defaultName: string;
  readonly category: Category;
  /** One line for the palette and inspector. */
  readonly help: string;
  readonly params: readonly ParamSpec[];
  /** Parameters shown on the node face (besides toggles). */
  readonly keyParams?: readonly string[];
  readonly inputs: (p: P) => readonly PortSpec[];
  readonly outputs: (p: P) => readonly PortSpec[];
  /** Called with every required input connected and known, and valid parameters. */
  readonly infer: (p: P, ctx: InferContext) => InferResult;
  /**
   * How the kind reads and writes Keras configs and code (src/core/keras, src/core/codegen). The
   * generic behaviour comes from `params`; these hooks only say what differs.
   */
  readonly keras?: KerasHooks<P>;
  /**
   * Creates the TF.js layer of a node and says how to wire it (src/tf/compile.ts calls it; see
   * tfjs.ts). Absent for nodes that are not layers (Output).
   */
  readonly build?: (tf: TF, p: P, ctx: BuildContext) => BuildResult;
  /** False for nodes that are not Keras layers (the Output marker). */
  readonly isLayer?: boolean;
  /**
   * The layer's variables in Keras's `layer.weights` order, for the node's input tensors (aligned
   * with `inputs(params)`); null while a shape they need is unknown. Absent for layers without
   * weights. src/core/weights.ts (weight files, model size) reads it.
   */
  readonly weights?: (p: P, inputs: readonly (TensorInfo | undefined)[]) => readonly WeightSpec[] | null;
  /**
   * Called when a wire into `port` of this node is made from an upstream output port; returns
   * the parameters to change, if any (an Output wired to a state gets no loss by default).
   */
  readonly onConnect?: (p: P, wire: { readonly port: string; readonly from: PortSpec }) => Partial<P> | undefined;
  /**
   * Recurrent layers only: the cell(s) inside, per direction, with Keras's weight layout split by
   * gate (cell.ts). `inputFeatures` is the size of each input step (the kernel's rows).
   */
  readonly recurrent?: (p: P, inputFeatures: number) => RecurrentSpec;
  /**
   * The kinds this layer can be changed into in place, keeping its name, its wires (where the new
   * kind has the port) and the parameters both kinds have (edit.changeKind; the inspector offers them).
   */
  readonly swapsWith?: readonly string[];
  /**
   * The boolean parameter that makes the layer return every time step (return_sequences), on the
   * layer itself or on the one it wraps (`inner`: the wrapping parameter). Issues use it to offer
   * "Turn on return_sequences" as a one-click fix.
   */
  readonly sequenceOutput?: { readonly param: string; readonly inner?: string };
}

/** One variable of a layer, as Keras creates it (see src/core/weights.ts). */
export interface WeightSpec {
  /** Keras's variable name: 'kernel', 'recurrent_kernel', 'bias', 'embeddings'. */
  readonly name: string;
  /** Keras 3's `variable.path` after the layer's own name: 'lstm_cell/kernel' (the layer 'lstm' → 'lstm/lstm_cell/kernel'). */
  readonly path: string;
  /** Where Keras 3's saving_lib stores it under the layer's group in model.weights.h5: 'cell/vars/0'. */
  readonly store: string;
  readonly shape: readonly number[];
}

/** JSON as Keras writes it. */
export type KerasJson = null | boolean | number | string | readonly KerasJson[] | { readonly [key: string]: KerasJson };
export type KerasDict = { readonly [key: string]: KerasJson };

/** What a kind's `toConfig` hook gets besides its parameters. */
export interface KerasConfigContext {
  /** The shape the layer is built with (Keras `build_config.input_shape`), or null when unknown. */
  readonly inputShape: KerasJson;
  /** The layer's name. */
  readonly name: string;
  /** The name of a nested layer: its own, or its kind's Keras name stem. */
  nestedName(layer: { kind: string; name?: unknown }): string;
  /** The full Keras object of a nested layer (Bidirectional, TimeDistributed), as Keras serializes it. */
  nested(layer: { kind: string; params: Params }, name: string, inputShape: KerasJson, patch?: KerasDict): KerasDict;
}

/** What a kind's `fromConfig` hook gets: readers that throw a message naming the field on bad input. */
export interface KerasReadContext {
  /** A nested layer object back to Unroll's `{kind, params, name}`. */
  nested(obj: unknown, field: string): { kind: string; params: Params; name: string };
  /** The generic reading of a config for `kind` (the default when no hook is given). */
  generic(kind: string, config: KerasDict): Params;
}

/** Keras hooks of one kind (see `LayerDef.keras`). */
export interface KerasHooks<P extends Params = Params> {
  /**
   * The keys of Keras's `get_config()` after `name`, `trainable` and `dtype`, in Keras's order. A key
   * that names a parameter is written from it (initializers as Keras objects); others from `fixed`.
   */
  readonly keys: readonly string[];
  /** What Keras writes for keys Unroll does not model (their Keras defaults). Ignored on import. */
  readonly fixed?: KerasDict;
  /** Constructor arguments written positionally in code, in order (e.g. ['units']). Always written. */
  readonly positional?: readonly string[];
  /** Replaces the generic config (nested layers). */
  readonly toConfig?: (p: P, ctx: KerasConfigContext) => KerasDict;
  /** Replaces the generic reading (nested layers). */
  readonly fromConfig?: (config: KerasDict, ctx: KerasReadContext) => Params;
  /** True when `toConfig` writes the whole config (InputLayer has no `trainable` or dtype policy). */
  readonly wholeConfig?: boolean;
  /** False when Keras builds the layer at construction and so writes no `build_config`. */
  readonly buildConfig?: boolean;
  /** True when the layer's `call()` takes `mask`, which Keras then records in the node's kwargs. */
  readonly callMask?: boolean;
}

/** Identity helper that keeps a definition's parameter type while the registry stores them loosely. */
export function defineLayer<P extends Params>(def: LayerDef<P>): LayerDef<Params> {
  return def as unknown as LayerDef<Params>;
}

export const MAIN_INPUT: PortSpec = { name: 'input', label: 'input' };
export const MAIN_OUTPUT: PortSpec = { name: 'output', label: 'output' };
