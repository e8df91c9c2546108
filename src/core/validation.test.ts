/** Each validation rule: the issue appears at the right node/port, with a message and a fix. */
import { describe, expect, it } from 'vitest';
import { chain, nodeByName } from './build.ts';
import { addNode, canConnect, connect, emptyGraph, setParams } from './edit.ts';
import { inferGraph } from './infer.ts';
import type { Graph, Issue } from './types.ts';

function issuesOf(g: Graph, name?: string): Issue[] {
  const inf = inferGraph(g);
  if (!name) return [...inf.issues];
  return [...inf.node(nodeByName(g, name).id)!.issues];
}

function only(g: Graph, name: string, code: string): Issue {
  const found = issuesOf(g, name).filter((i) => i.code === code);
  expect(found, `${code} at ${name}: ${JSON.stringify(issuesOf(g))}`).toHaveLength(1);
  return found[0];
}

describe('validation', () => {
  it('an RNN fed 2D input says so and suggests return_sequences on the layer before', () => {
    const g = chain([
      { kind: 'Input', params: { shape: [10, 2] } },
      { kind: 'LSTM', params: { units: 16 } },
      { kind: 'LSTM', params: { units: 8 } },
    ]);
    const i = only(g, 'lstm_1', 'rank');
    expect(i.message).toBe('LSTM needs (batch, time, features); lstm returns (None, 16).');
    expect(i.fix).toBe('Turn on return_sequences on lstm.');
    expect(i.port).toBe('input');
    // Following the fix removes the error.
    const fixed = setParams(g, nodeByName(g, 'lstm').id, { return_sequences: true });
    expect(issuesOf(fixed).filter((x) => x.severity === 'error')).toEqual([]);
  });

  it('an RNN fed by a Dense vector suggests RepeatVector', () => {
    const g = chain([{ kind: 'Input', params: { shape: [4] } }, { kind: 'Dense', params: { units: 8 } }, { kind: 'GRU' }]);
    expect(only(g, 'gru', 'rank').fix).toMatch(/RepeatVector/);
  });

  it('an RNN fed token ids asks for an Embedding; an Embedding fed floats casts them, as Keras does', () => {
    const g = chain([{ kind: 'Input', params: { shape: [null], dtype: 'int32' } }, { kind: 'Embedding' }, { kind: 'LSTM' }]);
    expect(issuesOf(g).filter((i) => i.severity === 'error')).toEqual([]);
    const g2 = chain([{ kind: 'Input', params: { shape: [null, 1], dtype: 'int32' } }, { kind: 'SimpleRNN' }]);
    expect(only(g2, 'simple_rnn', 'dtype-int').fix).toMatch(/Embedding/);
    const g3 = chain([{ kind: 'Input', params: { shape: [null] } }, { kind: 'Embedding', params: { input_dim: 10, output_dim: 4 } }, { kind: 'LSTM', params: { units: 2 } }]);
    expect(issuesOf(g3)).toEqual([]);
    expect(inferGraph(g3).totals.trainable).toBe(40 + 4 * 2 * (4 + 2 + 1));
  });

  function encoderDecoder(decoderUnits: number, wireC = true): Graph {
    let g = chain([{ kind: 'Input', params: { shape: [null, 3] } }, { kind: 'LSTM', params: { units: 8, return_state: true } }], { output: false });
    const input = nodeByName(g, 'input_layer');
    const enc = nodeByName(g, 'lstm');
    const dec = addNode(g, { kind: 'LSTM', params: { units: decoderUnits, return_sequences: true } });
    g = dec.graph;
    g = connect(g, { source: input.id, sourcePort: 'output', target: dec.node.id, targetPort: 'input' });
    g = connect(g, { source: enc.id, sourcePort: 'h', target: dec.node.id, targetPort: 'h' });
    if (wireC) g = connect(g, { source: enc.id, sourcePort: 'c', target: dec.node.id, targetPort: 'c' });
    const out = addNode(g, { kind: 'Output' });
    return connect(out.graph, { source: dec.node.id, sourcePort: 'output', target: out.node.id, targetPort: 'input' });
  }

  it('initial states: right size and count is fine; wrong size and partial groups are errors', () => {
    expect(issuesOf(encoderDecoder(8)).filter((i) => i.severity === 'error')).toEqual([]);
    const wrong = issuesOf(encoderDecoder(4), 'lstm_1').filter((i) => i.code === 'state-shape');
    expect(wrong.map((i) => i.port)).toEqual(['h', 'c']);
    expect(wrong[0].message).toBe('The initial state h of lstm_1 must be (None, 4) (one vector of its 4 units); lstm gives (None, 8).');
    const partial = only(encoderDecoder(8, false), 'lstm_1', 'state-partial');
    expect(partial.message).toMatch(/all of \[h, c\] or none; lstm_1 is missing c/);
    expect(partial.port).toBe('c');
  });

  it('turning return_state off removes the state wires with it', () => {
    const g = encoderDecoder(8);
    expect(g.edges.filter((e) => e.sourcePort === 'h' || e.sourcePort === 'c')).toHaveLength(2);
    const g2 = setParams(g, nodeByName(g, 'lstm').id, { return_state: false });
    expect(g2.edges.filter((e) => e.sourcePort === 'h' || e.sourcePort === 'c')).toHaveLength(0);
  });

  it('cycles are reported at every node on the loop, and refused while drawing', () => {
    let g = chain([{ kind: 'Input', params: { shape: [4, 2] } }, { kind: 'Dense' }, { kind: 'Dense' }]);
    const a = nodeByName(g, 'dense'), b = nodeByName(g, 'dense_1');
    expect(canConnect(g, { source: b.id, sourcePort: 'output', target: a.id, targetPort: 'input' })).toMatchObject({ ok: false });
    g = { ...g, edges: g.edges.map((e) => (e.target === a.id ? { ...e, source: b.id } : e)) };
    expect(issuesOf(g, 'dense').some((i) => i.code === 'cycle')).toBe(true);
    expect(issuesOf(g, 'dense_1').some((i) => i.code === 'cycle')).toBe(true);
  });

  it('a required input not connected', () => {
    const g = addNode(emptyGraph, { kind: 'LSTM' }).graph;
    expect(only(g, 'lstm', 'input-missing').message).toBe('lstm has no input.');
  });

  it('two wires into one input', () => {
    const g = chain([{ kind: 'Input', params: { shape: [4, 2] } }, { kind: 'Dense' }]);
    const input = nodeByName(g, 'input_layer'), dense = nodeByName(g, 'dense');
    const g2: Graph = { ...g, edges: [...g.edges, { id: 'extra', source: input.id, sourcePort: 'output', target: dense.id, targetPort: 'input' }] };
    expect(only(g2, 'dense', 'input-twice').message).toBe('2 wires go into the input input of dense; an input takes one tensor.');
  });

  it('Concatenate shapes that disagree; refused while drawing', () => {
    let g = chain([{ kind: 'Input', params: { shape: [5, 2] } }, { kind: 'LSTM', params: { units: 4, return_sequences: true } }], { output: false });
    const input = nodeByName(g, 'input_layer'), lstm = nodeByName(g, 'lstm');
    const cat = addNode(g, { kind: 'Concatenate' });
    g = connect(cat.graph, { source: lstm.id, sourcePort: 'output', target: cat.node.id, targetPort: 'input_0' });
    const lstm2 = addNode(g, { kind: 'LSTM', params: { units: 3 } });
    g = connect(lstm2.graph, { source: input.id, sourcePort: 'output', target: lstm2.node.id, targetPort: 'input' });
    const conn = { source: lstm2.node.id, sourcePort: 'output', target: cat.node.id, targetPort: 'input_1' };
    const verdict = canConnect(g, conn);
    expect(verdict.ok).toBe(false);
    g = connect(g, conn);
    const i = only(g, 'concatenate', 'merge-shapes');
    expect(i.message).toBe('Concatenate concatenate cannot combine its inputs: all inputs need the same rank, but lstm gives (None, 5, 4), lstm_1 gives (None, 3).');
  });

  it('a 3D prediction into a loss that expects one prediction per sequence', () => {
    const g = chain([
      { kind: 'Input', params: { shape: [null, 3] } },
      { kind: 'LSTM', params: { units: 4, return_sequences: true } },
      { kind: 'Dense', params: { units: 2, activation: 'softmax' } },
    ], { output: { expects: 'per_sequence' } });
    const i = only(g, 'output', 'output-rank');
    expect(i.message).toBe("output's loss expects one prediction per sequence (None, classes), but dense returns (None, None, 2).");
    expect(i.fix).toMatch(/return_sequences/);
  });

  it('a graph with no input or no output', () => {
    const g = addNode(emptyGraph, { kind: 'Dense' }).graph;
    const codes = issuesOf(g).map((i) => i.code);
    expect(codes).toContain('no-input');
    expect(codes).toContain('no-output');
  });

  it('duplicate and empty names; every name Keras takes is taken, "/" with a Keras 3 warning', () => {
    const g = chain([{ kind: 'Input', params: { shape: [3] } }, { kind: 'Dense', name: 'head' }, { kind: 'Dense', name: 'head' }]);
    expect(issuesOf(g).filter((i) => i.code === 'name-duplicate')).toHaveLength(1);
    const g2 = chain([{ kind: 'Input', params: { shape: [3] } }, { kind: 'Dense', name: '' }]);
    expect(issuesOf(g2).find((i) => i.code === 'name-invalid')).toMatchObject({ message: 'A layer needs a name.', fix: 'Rename the layer.' });
    const g3 = chain([{ kind: 'Input', name: '1st input', params: { shape: [3] } }, { kind: 'Dense', name: '2 heads' }, { kind: 'Dense', name: 'dense-1/out' }]);
    expect(issuesOf(g3).map((i) => [i.code, i.severity])).toEqual([['name-slash', 'warning']]);
    expect(only(g3, 'dense-1/out', 'name-slash').message).toContain('"dense-1_out"');
  });

  it('parameters out of their limits name the parameter', () => {
    const g = chain([{ kind: 'Input', params: { shape: [3, 2] } }, { kind: 'LSTM', params: { units: 0 } }, { kind: 'Dropout', params: { rate: 1 } }]);
    expect(only(g, 'lstm', 'param-invalid')).toMatchObject({ param: 'units', message: 'units must be at least 1 (got 0)' });
    expect(only(g, 'dropout', 'param-invalid').message).toBe('rate must be below 1 (got 1)');
  });

  it('an invalid graph still shows every shape that can be known', () => {
    let g = chain([{ kind: 'Input', params: { shape: [6, 2] } }, { kind: 'LSTM', params: { units: 5 } }, { kind: 'GRU' }]);
    const input = nodeByName(g, 'input_layer');
    const side = addNode(g, { kind: 'SimpleRNN', params: { units: 7 } });
    g = connect(side.graph, { source: input.id, sourcePort: 'output', target: side.node.id, targetPort: 'input' });
    const inf = inferGraph(g);
    expect(inf.hasErrors).toBe(true);
    expect(inf.tensor(nodeByName(g, 'lstm').id, 'output')!.shape).toEqual([null, 5]);
    expect(inf.tensor(side.node.id, 'output')!.shape).toEqual([null, 7]);
    expect(inf.tensor(nodeByName(g, 'gru').id, 'output')).toBeNull();
  });

  it('masks: Embedding(mask_zero) → RNN with sequences keeps it, RepeatVector drops it with a warning', () => {
    const g = chain([
      { kind: 'Input', params: { shape: [null], dtype: 'int32' } },
      { kind: 'Embedding', params: { mask_zero: true } },
      { kind: 'Dense', params: { units: 4 } },
      { kind: 'LSTM', params: { units: 4, return_sequences: true } },
      { kind: 'Flatten' },
    ]);
    const inf = inferGraph(g);
    expect(inf.tensor(nodeByName(g, 'dense').id, 'output')!.masked).toBe(true);
    expect(inf.tensor(nodeByName(g, 'lstm').id, 'output')!.masked).toBe(true);
    expect(only(g, 'flatten', 'mask-dropped').severity).toBe('warning');
  });

  it('a layer not on a path to an Output is a warning', () => {
    let g = chain([{ kind: 'Input', params: { shape: [3] } }, { kind: 'Dense' }]);
    g = addNode(g, { kind: 'Dropout' }).graph;
    expect(only(g, 'dropout', 'unused').severity).toBe('warning');
  });
});
