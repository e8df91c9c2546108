/**
 * The graph model: nodes (a layer kind, its parameters, a unique name) and edges from an output port
 * of one node to an input port of another. Graphs are immutable values; edits (see edit.ts) return
 * new graphs and keep untouched nodes by identity, which lets inference reuse cached results.
 */
import type { TensorInfo } from './shape.ts';

/** A parameter value as stored in a node and in project files. */
export type ParamValue =
  | number
  | string
  | boolean
  | null
  | readonly (number | null)[]
  | { readonly [key: string]: ParamValue | undefined };

export type Params = { readonly [key: string]: ParamValue | undefined };

export interface XY {
  readonly x: number;
  readonly y: number;
}

export interface GraphNode {
  readonly id: string;
  /** A catalog kind: 'LSTM', 'Dense', … (see registry.ts). */
  readonly kind: string;
  /** Unique in the graph; becomes the Keras layer name. */
  readonly name: string;
  readonly params: Params;
  readonly position: XY;
}

export interface Edge {
  readonly id: string;
  readonly source: string;
  readonly sourcePort: string;
  readonly target: string;
  readonly targetPort: string;
}

export interface Graph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly Edge[];
}

/** A port a layer offers, for one set of its parameters. */
export interface PortSpec {
  readonly name: string;
  /** Short label shown on the handle: 'h', 'c', 'output'… */
  readonly label: string;
  /** Longer text for tooltips. */
  readonly help?: string;
  readonly optional?: boolean;
  /**
   * Ports in the same group are all-or-none (LSTM initial state `h` and `c`; Keras takes the whole
   * `initial_state` list or nothing).
   */
  readonly group?: string;
  /** A recurrent state output (h, c): an Output wired to it gets no loss by default. */
  readonly state?: boolean;
}

export type Severity = 'error' | 'warning';

/** A problem found in a graph, placed at the node (and port) where it happens. */
export interface Issue {
  /** Stable code from the catalogue in issues.ts, e.g. 'rnn-needs-3d'. */
  readonly code: string;
  readonly severity: Severity;
  readonly nodeId?: string;
  readonly port?: string;
  readonly edgeId?: string;
  /** The parameter at fault, for the inspector to highlight. */
  readonly param?: string;
  readonly message: string;
  /** What to do about it, when there is one thing to do. */
  readonly fix?: string;
  /** The fix as an edit the editor can make in one step (a button next to the issue), when there is one. */
  readonly action?: FixAction;
}

/** A fix that is a parameter change: set `params` on a node (on the layer it wraps when `inner` names that parameter). */
export interface FixAction {
  /** What the button says: "Turn on return_sequences on lstm". */
  readonly label: string;
  readonly nodeId: string;
  readonly params: Params;
  readonly inner?: string;
}

export interface ParamCount {
  readonly trainable: number;
  readonly nonTrainable: number;
}

/** What inference knows about one node. */
export interface NodeInference {
  readonly inputs: readonly PortSpec[];
  readonly outputs: readonly PortSpec[];
  /** One entry per output port; null where the shape cannot be known. */
  readonly outputTensors: readonly (TensorInfo | null)[];
  /** Null when the input shapes are not known (Keras: "0 (unbuilt)"). */
  readonly params: ParamCount | null;
  readonly issues: readonly Issue[];
}
