/**
 * The contract of one layer kind. Each file in this folder exports one `LayerDef`; registry.ts
 * collects them. Everything Unroll knows about a kind lives in its definition: parameters, ports,
 * the shape rule, the parameter count and the Keras config. Code that needs TF.js receives it as an
 * argument (see src/tf/); core never imports TF.js at run time.
 */
import type { ParamSpec } from '../params.ts';
import type { TensorInfo } from '../shape.ts';
import type { GraphNode, Issue, ParamCount, Params, PortSpec } from '../types.ts';

export type Category = 'Inputs' | 'Recurrent' | 'Core' | 'Merge' | 'Wrappers' | 'Outputs';

/** Where an input comes from, for messages that name the layer before. */
export interface Source {
  readonly node: GraphNode;
  readonly port: string;
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
   * Keras 3 layer config (`get_config()`), without `name`, `trainable` and `dtype` which the exporter
   * adds. Defaults are written out in full, as Keras does.
   */
  readonly kerasConfig?: (p: P) => Record<string, unknown>;
  /** False for nodes that are not Keras layers (the Output marker). */
  readonly isLayer?: boolean;
}

/** Identity helper that keeps a definition's parameter type while the registry stores them loosely. */
export function defineLayer<P extends Params>(def: LayerDef<P>): LayerDef<Params> {
  return def as unknown as LayerDef<Params>;
}

export const MAIN_INPUT: PortSpec = { name: 'input', label: 'input' };
export const MAIN_OUTPUT: PortSpec = { name: 'output', label: 'output' };
