/**
 * Several Outputs (contract 9): an Output wired to a recurrent state gets no loss by default;
 * `none` and `loss_weight` reach Keras's compile config, the Python and TF.js code, and come back
 * from Keras files (`loss=[…, None]`, `loss_weights`); a graph where no Output has a loss warns.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { addNode, connect, setParams } from './edit.ts';
import { inferGraph } from './infer.ts';
import { importKerasJson } from './keras/import.ts';
import { toKerasJson } from './keras/export.ts';
import { toPython } from './codegen/python.ts';
import { toTfjs } from './codegen/tfjs.ts';
import type { Graph } from './types.ts';

/** Input(8, 4) → LSTM(3, return_state) with an Output on each of output, h and c. */
function lstmWithStates(): Graph {
  let g: Graph = { nodes: [], edges: [] };
  const input = addNode(g, { kind: 'Input', params: { shape: [8, 4] } });
  const lstm = addNode(input.graph, { kind: 'LSTM', params: { units: 3, return_state: true } });
  g = connect(lstm.graph, { source: input.node.id, sourcePort: 'output', target: lstm.node.id, targetPort: 'input' });
  for (const port of ['output', 'h', 'c']) {
    const o = addNode(g, { kind: 'Output', name: `out_${port}`, params: port === 'output' ? { loss: 'mean_squared_error' } : {} });
    g = connect(o.graph, { source: lstm.node.id, sourcePort: port, target: o.node.id, targetPort: 'input' });
  }
  return g;
}

const outputs = (g: Graph) => g.nodes.filter((n) => n.kind === 'Output').map((n) => [n.name, n.params.loss, n.params.loss_weight]);

describe('state outputs', () => {
  it('an Output wired to h or c gets loss none; one wired to the sequence output keeps its loss', () => {
    const g = lstmWithStates();
    expect(outputs(g)).toEqual([['out_output', 'mean_squared_error', 1], ['out_h', 'none', 1], ['out_c', 'none', 1]]);
    expect(inferGraph(g).issues.map((i) => i.code)).toEqual([]);
    // A loss chosen by the user is kept when rewired to a state.
    const o = g.nodes.find((n) => n.name === 'out_output')!;
    const lstm = g.nodes.find((n) => n.kind === 'LSTM')!;
    const rewired = connect(g, { source: lstm.id, sourcePort: 'h', target: o.id, targetPort: 'input' });
    expect(rewired.nodes.find((n) => n.id === o.id)!.params.loss).toBe('mean_squared_error');
  });

  it('no Output with a loss: a warning that nothing can be trained', () => {
    let g = lstmWithStates();
    g = setParams(g, g.nodes.find((n) => n.name === 'out_output')!.id, { loss: 'none' });
    const issues = inferGraph(g).issues;
    expect(issues).toContainEqual(expect.objectContaining({ code: 'no-loss', severity: 'warning' }));
    expect(issues.some((i) => i.severity === 'error')).toBe(false);
  });
});

describe('losses and loss weights in Keras files and code', () => {
  const g = setParams(lstmWithStates(), 'n3', { loss_weight: 0.5 });

  it('compile_config: loss [mse, None, None], loss_weights when one differs from 1', () => {
    const r = toKerasJson(g);
    if (!r.ok) throw new Error(r.error);
    const cc = (r.json as { compile_config: { loss: unknown; loss_weights: unknown } }).compile_config;
    expect(cc.loss).toEqual(['mean_squared_error', null, null]);
    expect(cc.loss_weights).toEqual([0.5, 1, 1]);
    const back = importKerasJson(r.json);
    if (!back.ok) throw new Error(back.error);
    expect(outputs(back.graph).map((o) => o.slice(1))).toEqual([['mean_squared_error', 0.5], ['none', 1], ['none', 1]]);
  });

  it('a Keras 3 file without a compile config: state outputs get no loss', () => {
    const doc = JSON.parse(readFileSync(new URL('./keras/fixtures/lstm-return-state.keras3.json', import.meta.url), 'utf8'));
    const r = importKerasJson(doc);
    if (!r.ok) throw new Error(r.error);
    expect(outputs(r.graph).map((o) => o[1])).toEqual(['mean_squared_error', 'none', 'none']);
  });

  it('Python: loss=[…, None, None], loss_weights, targets for the trained output only', () => {
    const r = toPython(g);
    if (!r.ok) throw new Error(r.error);
    // The training script's settings block, and compile() reads it (metrics only for trained outputs).
    expect(r.code).toContain('\nLOSSES = ["mean_squared_error", None, None]\nLOSS_WEIGHTS = [0.5, 1, 1]\n');
    expect(r.code).toContain('metrics = METRICS if len(LOSSES) == 1 else [METRICS if l is not None else [] for l in LOSSES]');
    expect(r.code).toMatch(/model\.fit\(x_\w+, \[y_0\], batch_size/);
    expect(r.code).not.toMatch(/^\s*y_1 =/m);
  });

  it('TF.js: a training model over the outputs with a loss', () => {
    const r = toTfjs(g);
    if (!r.ok) throw new Error(r.error);
    expect(r.code).toMatch(/export const trainModel = tf\.model\(\{inputs: model\.inputs, outputs: \w+\}\);/);
    expect(r.code).toMatch(/trainModel\.compile\(\{optimizer: tf\.train\.adam\(0\.001\), loss: 'meanSquaredError'/);
    expect(r.code).toContain('TF.js 4 ignores lossWeights');
  });
});
