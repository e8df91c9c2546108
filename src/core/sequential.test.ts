/** Which graphs the lesson could have written as Sequential([...]). */
import { describe, expect, it } from 'vitest';
import { getTemplate } from '../../templates/index.ts';
import { chain, nodeByName } from './build.ts';
import { connect, setParams } from './edit.ts';
import { sequentialChain } from './sequential.ts';

describe('sequentialChain', () => {
  it('the lesson\'s chains are Sequential: sentiment, stacked SimpleRNN, forecasting', () => {
    for (const id of ['sentiment', 'stacked-rnn', 'forecast-gru']) {
      const r = sequentialChain(getTemplate(id)!.project.graph);
      expect(r.ok, id).toBe(true);
    }
    const r = sequentialChain(getTemplate('sentiment')!.project.graph);
    expect(r.ok && r.layers.map((n) => n.name)).toEqual(['input_layer', 'embedding', 'bidirectional', 'dense']);
  });

  it('branches, states and several outputs need the functional API, and it says why', () => {
    const ed = sequentialChain(getTemplate('encoder-decoder')!.project.graph);
    expect(ed).toMatchObject({ ok: false });
    const g = chain([{ kind: 'Input', params: { shape: [10, 2] } }, { kind: 'LSTM', params: { units: 4 } }, { kind: 'Dense', params: { units: 1 } }]);
    expect(sequentialChain(g).ok).toBe(true);
    const lstm = nodeByName(g, 'lstm');
    expect(sequentialChain(setParams(g, lstm.id, { return_state: true }))).toEqual({ ok: false, reason: 'lstm has 3 outputs (output, h, c); each layer of a Sequential model has one' });
    // A second consumer of the Input: a branch.
    const branched = connect(g, { source: nodeByName(g, 'input_layer').id, sourcePort: 'output', target: nodeByName(g, 'dense').id, targetPort: 'input' });
    expect(sequentialChain(branched)).toMatchObject({ ok: false, reason: expect.stringContaining('input_layer feeds 2 layers') });
    // No Output marker yet: the chain ends at the last layer.
    expect(sequentialChain(chain([{ kind: 'Input' }, { kind: 'Dense' }], { output: false }))).toMatchObject({ ok: true, layers: [{ name: 'input_layer' }, { name: 'dense' }] });
    expect(sequentialChain(chain([{ kind: 'Input' }], { output: false }))).toEqual({ ok: false, reason: 'input_layer feeds nothing' });
    const loose = { ...g, nodes: [...g.nodes, { id: 'x', kind: 'Dense', name: 'loose', params: {}, position: { x: 0, y: 0 } }] };
    expect(sequentialChain(loose)).toEqual({ ok: false, reason: '1 layer is not on the chain from the Input to the end' });
  });
});
