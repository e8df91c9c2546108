/** Confusion matrix, classification report and baselines, by hand on small sets. */
import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../data/tasks.ts';
import { baselines, classificationReport, confusionMatrix } from './metrics.ts';

describe('confusion matrix and classification report (scikit-learn, zero_division=0)', () => {
  const truth = [0, 0, 1, 1, 2, 2, 2];
  const pred = [0, 1, 1, 1, 2, 0, 2];
  it('counts truth × prediction', () => {
    expect(confusionMatrix(truth, pred, 3)).toEqual([[1, 1, 0], [0, 2, 0], [1, 0, 2]]);
  });
  it('per-class precision, recall, F1 and support; accuracy; macro and weighted averages', () => {
    const r = classificationReport(confusionMatrix(truth, pred, 3), ['neg', 'neu', 'pos']);
    const rows = r.classes.map((c) => [c.label, c.precision, c.recall, c.f1, c.support].map((v) => (typeof v === 'number' ? Number(v.toFixed(4)) : v)));
    expect(rows).toEqual([['neg', 0.5, 0.5, 0.5, 2], ['neu', 0.6667, 1, 0.8, 2], ['pos', 1, 0.6667, 0.8, 3]]);
    expect(r.accuracy).toBeCloseTo(5 / 7, 10);
    expect(r.macro.precision).toBeCloseTo((0.5 + 2 / 3 + 1) / 3, 10);
    expect(r.macro.f1).toBeCloseTo(0.7, 10);
    expect(r.weighted.recall).toBeCloseTo(5 / 7, 10);
    expect(r.weighted.f1).toBeCloseTo(5 / 7, 10);
  });
  it('a class never predicted has precision 0; a class absent everywhere is left out of the averages', () => {
    const r = classificationReport(confusionMatrix([0, 1, 1], [1, 1, 1], 3), ['a', 'b', 'c']);
    expect(r.classes[0]).toMatchObject({ precision: 0, recall: 0, f1: 0, support: 1 });
    expect(r.classes[2]).toMatchObject({ precision: 0, recall: 0, support: 0 });
    expect(r.macro.recall).toBeCloseTo((0 + 1) / 2, 10);
  });
});

describe('baselines', () => {
  const ds = (train: number[], val: number[], extra: Partial<Dataset> = {}): Dataset => ({
    id: 'd', name: 'd', description: '', source: '', licence: '', task: 'sequence-classification', inputs: { dtype: 'int32' },
    numClasses: 3, labels: ['a', 'b', 'c'], train: train.map((y) => ({ x: [1], y })), val: val.map((y) => ({ x: [1], y })), test: [], ...extra,
  });
  it('chance 1/K and ln K; majority = the training majority class on the validation set, loss of the training prior', () => {
    const b = baselines(ds([0, 0, 0, 1], [0, 1, 1, 2]), 'sparse_categorical_crossentropy');
    expect(b.split).toBe('val');
    expect(b.chance!.accuracy).toBeCloseTo(1 / 3, 10);
    expect(b.chance!.loss).toBeCloseTo(Math.log(3), 10);
    expect(b.majority!.label).toBe('a');
    expect(b.majority!.accuracy).toBe(0.25);
    // prior: a .75, b .25, c 0 (clipped to 1e-7)
    expect(b.majority!.loss).toBeCloseTo(-(Math.log(0.75) + 2 * Math.log(0.25) + Math.log(1e-7)) / 4, 6);
  });
  it('regression: the training mean (mse) or median (mae) predicted everywhere', () => {
    const r = (train: number[], val: number[]) => ds([], [], { task: 'sequence-regression', train: train.map((y) => ({ x: [[1]], y: [y] })), val: val.map((y) => ({ x: [[1]], y: [y] })) });
    expect(baselines(r([1, 2, 3, 10], [2, 4]), 'mean_squared_error').mean!.loss).toBeCloseTo(((2 - 4) ** 2 + (4 - 4) ** 2) / 2, 10);
    expect(baselines(r([1, 2, 3, 10], [2, 4]), 'mean_absolute_error').mean!.loss).toBeCloseTo((0.5 + 1.5) / 2, 10);
  });
});
