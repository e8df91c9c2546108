/**
 * The graphs of the Keras lesson, exactly as its code cells build them (layer sizes, input shapes,
 * flags), one per step of the lesson path. Built with the core's graph builders, so they always
 * agree with the catalog; an Output marks each model output (the lesson's `outputs=`).
 */
import { chain, nodeByName, type LayerSpec } from '../../core/build.ts';
import { addNode, connect, emptyGraph } from '../../core/edit.ts';
import type { Graph, GraphNode, Params } from '../../core/types.ts';
import sentiment from '../../../templates/sentiment.json' with { type: 'json' };

/** Adds a chain of specs below the graph's other nodes; returns the new graph and nodes. */
function addChain(g: Graph, specs: readonly LayerSpec[], y: number): { graph: Graph; nodes: GraphNode[] } {
  const nodes: GraphNode[] = [];
  let graph = g;
  specs.forEach((s, k) => {
    const r = addNode(graph, { kind: s.kind, params: s.params, name: s.name, position: { x: k * 260, y } });
    graph = r.graph;
    const prev = nodes[k - 1];
    if (prev) graph = connect(graph, { source: prev.id, sourcePort: 'output', target: r.node.id, targetPort: 'input' });
    nodes.push(r.node);
  });
  return { graph, nodes };
}

function outputOn(g: Graph, from: GraphNode, port: string, params: Params, y: number): Graph {
  const r = addNode(g, { kind: 'Output', params, position: { x: from.position.x + 260, y } });
  return connect(r.graph, { source: from.id, sourcePort: port, target: r.node.id, targetPort: 'input' });
}

/** The lesson calls these models without training them: their outputs have no loss. */
const NO_TARGET: Params = { loss: 'none', expects: 'any' };

/** rnn_model = Sequential([Input(shape=(10, 2)), SimpleRNN(32, activation='tanh')]) */
export function simpleRnn(): Graph {
  return chain([
    { kind: 'Input', params: { shape: [10, 2] } },
    { kind: 'SimpleRNN', params: { units: 32, activation: 'tanh' } },
  ], { output: NO_TARGET });
}

/** rnn_layer = SimpleRNN(3); rnn_layer(dummy_inputs (16, 5, 2), initial_state=ops.ones((16, 3))) */
export function initialState(): Graph {
  let { graph, nodes: [inputs, rnn] } = addChain(emptyGraph, [
    { kind: 'Input', name: 'dummy_inputs', params: { shape: [5, 2], batch_size: 16 } },
    { kind: 'SimpleRNN', params: { units: 3 } },
  ], 0);
  const st = addNode(graph, { kind: 'Input', name: 'initial_state', params: { shape: [3], batch_size: 16 }, position: { x: 0, y: 200 } });
  graph = connect(st.graph, { source: st.node.id, sourcePort: 'output', target: rnn.id, targetPort: 'h' });
  void inputs;
  return outputOn(graph, rnn, 'output', NO_TARGET, 0);
}

/** inputs = Input(shape=(32, 5)); h = SimpleRNN(16, return_sequences=True)(inputs); outputs = SimpleRNN(8)(h) */
export function stacked(): Graph {
  return chain([
    { kind: 'Input', params: { shape: [32, 5] } },
    { kind: 'SimpleRNN', params: { units: 16, return_sequences: true } },
    { kind: 'SimpleRNN', params: { units: 8 } },
  ], { output: NO_TARGET });
}

/** brnn_model = Sequential([Input(shape=(64, 7)), Bidirectional(SimpleRNN(16, return_sequences=True), merge_mode='concat')]) */
export function bidirectional(): Graph {
  return chain([
    { kind: 'Input', params: { shape: [64, 7] } },
    { kind: 'Bidirectional', params: { layer: { kind: 'SimpleRNN', params: { units: 16, return_sequences: true } }, merge_mode: 'concat' } },
  ], { output: NO_TARGET });
}

/** lstm = Sequential([Input(shape=(None, 12)), LSTM(16, return_sequences=True), LSTM(16)]) */
export function lstmStack(): Graph {
  return chain([
    { kind: 'Input', params: { shape: [null, 12] } },
    { kind: 'LSTM', params: { units: 16, return_sequences: true } },
    { kind: 'LSTM', params: { units: 16 } },
  ], { output: NO_TARGET });
}

/** inputs = Input(shape=(8, 4)); outputs = LSTM(6, return_state=True, return_sequences=True)(inputs) */
export function returnState(): Graph {
  let { graph, nodes: [, lstm] } = addChain(emptyGraph, [
    { kind: 'Input', params: { shape: [8, 4] } },
    { kind: 'LSTM', params: { units: 6, return_state: true, return_sequences: true } },
  ], 0);
  graph = outputOn(graph, lstm, 'output', NO_TARGET, -140);
  graph = outputOn(graph, lstm, 'h', NO_TARGET, 0);
  return outputOn(graph, lstm, 'c', NO_TARGET, 140);
}

/**
 * An encoder LSTM's final states start a decoder LSTM:
 * _, h, c = LSTM(6, return_state=True)(encoder_inputs); LSTM(6, return_sequences=True)(decoder_inputs, initial_state=[h, c])
 */
export function decoder(): Graph {
  let { graph, nodes: [, enc] } = addChain(emptyGraph, [
    { kind: 'Input', name: 'encoder_inputs', params: { shape: [8, 4] } },
    { kind: 'LSTM', name: 'encoder', params: { units: 6, return_state: true } },
  ], 0);
  const d = addChain(graph, [
    { kind: 'Input', name: 'decoder_inputs', params: { shape: [5, 3] } },
    { kind: 'LSTM', name: 'decoder', params: { units: 6, return_sequences: true } },
  ], 220);
  graph = d.graph;
  const dec = d.nodes[1];
  graph = connect(graph, { source: enc.id, sourcePort: 'h', target: dec.id, targetPort: 'h' });
  graph = connect(graph, { source: enc.id, sourcePort: 'c', target: dec.id, targetPort: 'c' });
  return outputOn(graph, dec, 'output', NO_TARGET, 220);
}

/** The LSTM stack with GRU layers: Sequential([Input(shape=(None, 12)), GRU(16, return_sequences=True), GRU(16)]) */
export function gruStack(): Graph {
  return chain([
    { kind: 'Input', params: { shape: [null, 12] } },
    { kind: 'GRU', params: { units: 16, return_sequences: true } },
    { kind: 'GRU', params: { units: 16 } },
  ], { output: NO_TARGET });
}

/** Token ids → embedding = Embedding(1000, 2, mask_zero=True) (the lesson's embedding(t) call). */
export function embedding(): Graph {
  return chain([
    { kind: 'Input', params: { shape: [null], dtype: 'int32' } },
    { kind: 'Embedding', params: { input_dim: 1000, output_dim: 2, mask_zero: true } },
  ], { output: NO_TARGET });
}

/** lstm_classifier: the sentiment template, the lesson's model and settings. */
export function classifier(): Graph {
  const g = (sentiment as { graph: Graph }).graph;
  return { nodes: g.nodes, edges: g.edges };
}

export { nodeByName };
