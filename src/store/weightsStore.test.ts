import { describe, expect, it } from 'vitest';
import { chain } from '../core/build.ts';
import type { WeightSet } from '../core/weights.ts';
import { createEditorStore } from './editorStore.ts';
import { attachWeightsPersistence, createWeightsStore, describeWeights, linkWeights, restoreWeights, type SavedWeights } from './weightsStore.ts';

const graph = chain([{ kind: 'Input', params: { shape: [3, 2] } }, { kind: 'SimpleRNN', params: { units: 2 } }, { kind: 'Dense', params: { units: 1 } }]);
const ws: WeightSet = {
  source: { format: 'keras', file: 'm.keras', kerasVersion: '3.6.0' },
  layers: {
    simple_rnn: [[2, 2], [2, 2], [2]].map((shape, k) => ({ path: `simple_rnn/simple_rnn_cell/${k}`, shape, data: new Float32Array(shape.reduce((a, b) => a * b, 1)) })),
    dense: [{ path: 'dense/kernel', shape: [2, 1], data: new Float32Array(2) }, { path: 'dense/bias', shape: [1], data: new Float32Array(1) }],
  },
};

describe('weights store', () => {
  it('hands weights to the worker, follows renamed layers, persists per project and restores only for it', async () => {
    const editor = createEditorStore({ graph });
    editor.getState().setName('m');
    const weights = createWeightsStore();
    const sent: (WeightSet | null)[] = [];
    linkWeights(weights, editor, { setWeights: (w) => sent.push(w) });
    const saved: (SavedWeights | null)[] = [];
    attachWeightsPersistence(weights, { write: async (s) => { saved.push(s); } });
    expect(sent).toEqual([null]);

    weights.getState().set(ws, 'm');
    expect(sent.at(-1)).toBe(ws);
    expect(saved.at(-1)).toEqual({ project: 'm', weights: ws });
    expect(describeWeights(ws, editor)).toBe('m.keras (Keras 3.6.0): 13 weights, 2 of 2 layers fit');

    const dense = editor.getState().graph.nodes.find((n) => n.name === 'dense')!;
    expect(editor.getState().rename(dense.id, 'head')).toBeNull();
    expect(Object.keys(weights.getState().weights!.layers)).toEqual(['simple_rnn', 'head']);
    expect(sent.at(-1)!.layers.head[0].path).toBe('head/kernel');

    editor.getState().setName('renamed');
    expect(saved.at(-1)).toMatchObject({ project: 'renamed' });

    const other = createWeightsStore();
    expect(restoreWeights(other, editor, { project: 'elsewhere', weights: ws })).toBe(false);
    expect(restoreWeights(other, editor, saved.at(-1))).toBe(true);
    expect(other.getState().weights!.layers.head).toBeDefined();
    expect(restoreWeights(other, editor, { nonsense: true })).toBe(false);
    const broken = { project: 'renamed', weights: { ...ws, layers: { dense: [{ path: 'dense/kernel', shape: [2, 1], data: [1, 2] }] } } };
    expect(restoreWeights(createWeightsStore(), editor, broken)).toBe(false);

    weights.getState().set(null);
    expect(sent.at(-1)).toBeNull();
    expect(saved.at(-1)).toBeNull();
  });
});
