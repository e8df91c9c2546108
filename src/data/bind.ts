/**
 * Binding a dataset to a graph: what the dataset says the model must look like (inputs, vocabulary
 * sizes, output units, loss) against what the graph has. `checkBinding` lists every disagreement
 * in words ("dense has 2 units but the labels have 3 classes"); `bindDataset` fills what the graph
 * asks for (Input shape/dtype, Embedding input_dim, output units and activation, the Output's loss
 * and what it expects) and returns the graph, the changes made and what is left.
 */
import { setParams } from '../core/edit.ts';
import { hasLoss } from '../core/layers/output.ts';
import { Inferencer } from '../core/infer.ts';
import { formatShape } from '../core/shape.ts';
import type { Graph, GraphNode, Params } from '../core/types.ts';
import { datasetSignature, type Dataset, type TaskKind, type TensorSignature } from './tasks.ts';
import { plural } from '../core/plural.ts';

export interface BindingProblem {
  readonly nodeId?: string;
  readonly message: string;
  readonly fix?: string;
}

export interface Binding {
  readonly graph: Graph;
  readonly changes: readonly string[];
  readonly problems: readonly BindingProblem[];
}

const LOSS_NAMES: Record<string, string> = { mse: 'mean_squared_error' };
const PER_STEP: ReadonlySet<TaskKind> = new Set(['sequence-labelling', 'seq2seq', 'language-model', 'vector-to-sequence']);

function fmt(shape: readonly (number | null)[]): string {
  return formatShape(shape);
}

/** Inputs in the order a dataset feeds them: graph order (top to bottom on the canvas for ties). */
function inputNodes(g: Graph): GraphNode[] {
  return g.nodes.filter((n) => n.kind === 'Input');
}

function consumers(g: Graph, id: string, port = 'output'): GraphNode[] {
  const ids = g.edges.filter((e) => e.source === id && e.sourcePort === port).map((e) => e.target);
  return g.nodes.filter((n) => ids.includes(n.id));
}

function producer(g: Graph, id: string): GraphNode | undefined {
  const e = g.edges.find((x) => x.target === id && x.targetPort === 'input');
  return e && g.nodes.find((n) => n.id === e.source);
}

/** The layer that computes the prediction: the Dense (or TimeDistributed(Dense)) feeding an Output. */
function head(g: Graph, output: GraphNode): { node: GraphNode; units: number; activation: string; inner: boolean } | undefined {
  const p = producer(g, output.id);
  if (p?.kind === 'Dense') return { node: p, units: p.params.units as number, activation: p.params.activation as string, inner: false };
  if (p?.kind === 'TimeDistributed') {
    const inner = (p.params.layer as { params: Params }).params;
    return { node: p, units: (inner.units as number) ?? 3, activation: (inner.activation as string) ?? 'linear', inner: true };
  }
  return undefined;
}

interface Plan {
  problems: BindingProblem[];
  changes: { nodeId: string; patch: Params; says: string }[];
}

function plan(g: Graph, ds: Dataset): Plan {
  const sig = datasetSignature(ds);
  const problems: BindingProblem[] = [];
  const changes: Plan['changes'] = [];
  const inputs = inputNodes(g);
  // vector-to-sequence may leave out the decoder input (a RepeatVector decoder).
  const required = sig.kind === 'vector-to-sequence' ? 1 : sig.inputs.length;
  if (inputs.length < required || inputs.length > sig.inputs.length) {
    problems.push({
      message: `The dataset gives ${sig.inputs.length} input${sig.inputs.length > 1 ? 's' : ''} (${sig.inputs.map((i) => i.name).join(', ')}) but the model has ${inputs.length} Input layer${inputs.length === 1 ? '' : 's'}.`,
      fix: sig.inputs.length > inputs.length ? 'Add an Input for each dataset input (seq2seq: the encoder and the decoder inputs).' : 'Remove the extra Input layers.',
    });
  }
  inputs.slice(0, sig.inputs.length).forEach((node, k) => bindInput(g, node, sig.inputs[k], k === 0 ? ds.inputs.vocabulary?.length : ds.labels?.length, problems, changes));

  // The dataset's target goes to the first Output that has a loss (state outputs usually have none).
  const outputs = g.nodes.filter((n) => n.kind === 'Output');
  const output = outputs.find((n) => hasLoss(n.params));
  if (!output) {
    problems.push(outputs.length
      ? { nodeId: outputs[0].id, message: 'No Output has a loss, so none takes the dataset\'s target.', fix: 'Set a loss on the Output of the prediction.' }
      : { message: 'The model has no Output node for the dataset\'s target.', fix: 'Add an Output node after the last layer.' });
    return { problems, changes };
  }
  const loss = LOSS_NAMES[sig.loss] ?? sig.loss;
  const expects = PER_STEP.has(sig.kind) ? 'per_step' : 'per_sequence';
  if (output.params.loss !== loss || output.params.expects !== expects) {
    changes.push({ nodeId: output.id, patch: { loss, expects }, says: `${output.name}: loss ${loss}, expects ${expects === 'per_step' ? 'one prediction per time step' : 'one prediction per sequence'}` });
  }
  const h = head(g, output);
  const what = sig.kind === 'sequence-regression' ? `the targets have ${plural(sig.outputUnits, 'value')}` : `the labels have ${plural(sig.outputUnits, 'class', 'classes')}`;
  if (!h) {
    problems.push({ nodeId: output.id, message: `The prediction should come from a Dense layer with ${plural(sig.outputUnits, 'unit')} (${sig.outputActivation}), since ${what}.`, fix: 'Put a Dense layer (TimeDistributed for per-step outputs) before the Output.' });
  } else if (h.units !== sig.outputUnits || h.activation !== sig.outputActivation) {
    if (h.units !== sig.outputUnits) problems.push({ nodeId: h.node.id, message: `${h.node.name} has ${plural(h.units, 'unit')} but ${what}.`, fix: `Set units to ${sig.outputUnits}.` });
    if (h.activation !== sig.outputActivation) problems.push({ nodeId: h.node.id, message: `${h.node.name} uses ${h.activation}, but ${sig.loss} expects ${sig.outputActivation} outputs.`, fix: `Set activation to ${sig.outputActivation}.` });
    const inner = { units: sig.outputUnits, activation: sig.outputActivation };
    const patch: Params = h.inner
      ? { layer: { kind: 'Dense', params: { ...(h.node.params.layer as { params: Params }).params, ...inner } } }
      : inner;
    changes.push({ nodeId: h.node.id, patch, says: `${h.node.name}: ${plural(sig.outputUnits, 'unit')}, ${sig.outputActivation}` });
  }
  return { problems, changes };
}

function bindInput(g: Graph, node: GraphNode, s: TensorSignature, vocab: number | undefined, problems: BindingProblem[], changes: Plan['changes']): void {
  const want = s.shape.slice(1);
  const have = node.params.shape as (number | null)[];
  const rankOk = have.length === want.length && want.every((d, k) => d === null || have[k] === d);
  if (!rankOk || node.params.dtype !== s.dtype) {
    problems.push({
      nodeId: node.id,
      message: `${node.name} takes ${fmt([null, ...have])} ${node.params.dtype} but the dataset's ${s.name} is ${fmt(s.shape)} ${s.dtype}.`,
      fix: `Set its shape to ${fmt(want)} and dtype to ${s.dtype}.`,
    });
    changes.push({ nodeId: node.id, patch: { shape: want, dtype: s.dtype }, says: `${node.name}: shape ${fmt(want)}, ${s.dtype}` });
  }
  if (s.dtype !== 'int32' || !vocab) return;
  for (const emb of consumers(g, node.id).filter((n) => n.kind === 'Embedding')) {
    const dim = emb.params.input_dim as number;
    if (dim < vocab) {
      problems.push({ nodeId: emb.id, message: `${emb.name} has input_dim ${dim} but the vocabulary has ${plural(vocab, 'token')}: ids up to ${vocab - 1} would fall outside the table.`, fix: `Set input_dim to ${vocab}.` });
      changes.push({ nodeId: emb.id, patch: { input_dim: vocab }, says: `${emb.name}: input_dim ${vocab}` });
    }
  }
}

/** Every way the graph disagrees with the dataset, in words. */
export function checkBinding(graph: Graph, ds: Dataset): BindingProblem[] {
  return plan(graph, ds).problems;
}

/** Fills what the dataset decides; what cannot be filled stays in `problems`. */
export function bindDataset(graph: Graph, ds: Dataset): Binding {
  const p = plan(graph, ds);
  let g = graph;
  for (const c of p.changes) g = setParams(g, c.nodeId, c.patch);
  const left = plan(g, ds).problems;
  // Shapes after binding must infer cleanly up to the prediction.
  const inf = new Inferencer().run(g);
  const errors = inf.issues.filter((i) => i.severity === 'error');
  return {
    graph: g,
    changes: p.changes.map((c) => c.says),
    problems: [...left, ...errors.map((e) => ({ nodeId: e.nodeId, message: e.message, fix: e.fix }))],
  };
}
