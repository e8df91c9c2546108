import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../store/runs.ts';
import { baselineLines, baselineValues, joinExtent, overlayLines, runColor, RUN_COLORS } from './overlay.ts';

const curves = (loss: number[], val: number[], acc?: number[]): RunRecord['curves'] => ({
  batches: loss.map((l, k) => ({ step: k + 1, x: (k + 1) / loss.length, loss: l, ...(acc ? { accuracy: acc[k] } : {}) })),
  epochs: val.map((v, k) => ({ epoch: k + 1, loss: 1, val_loss: v, ...(acc ? { accuracy: 0.5, val_accuracy: 1 - v } : {}), seconds: 1 })),
  totalEpochs: val.length,
});

describe('run overlays', () => {
  it('each picked run: its batches and its validation epochs in its own colour, in the order picked', () => {
    const runs = [{ id: 'b', name: 'SimpleRNN' }, { id: 'a', name: 'LSTM' }];
    const c = { a: curves([1, 0.5], [0.6]), b: curves([2, NaN, 1], [0.9, NaN]) };
    const lines = overlayLines(runs, c, 'loss');
    expect(lines.map((l) => [l.id, l.color])).toEqual([['run-b', RUN_COLORS[0]], ['run-b-val', RUN_COLORS[0]], ['run-a', RUN_COLORS[1]], ['run-a-val', RUN_COLORS[1]]]);
    expect(lines[0].points).toEqual([{ x: 1 / 3, y: 2 }, { x: 1, y: 1 }]); // NaN left out
    expect(lines[1].points).toEqual([{ x: 1, y: 0.9 }]); // a NaN val_loss left out
    expect(lines[3].points).toEqual([{ x: 1, y: 0.6 }]);
    // A run without accuracy draws nothing on the accuracy chart; one whose curves are not loaded yet neither.
    expect(overlayLines(runs, c, 'accuracy')).toEqual([]);
    expect(overlayLines([{ id: 'z', name: 'z' }], c, 'loss')).toEqual([]);
    const withAcc = overlayLines([{ id: 'x', name: 'x' }], { x: curves([1], [0.25], [0.7]) }, 'accuracy');
    expect(withAcc.map((l) => l.points)).toEqual([[{ x: 1, y: 0.7 }], [{ x: 1, y: 0.75 }]]);
    expect(runColor(RUN_COLORS.length)).toBe(RUN_COLORS[0]);
  });

  it('baselines: majority class and chance on accuracy; class frequencies, ln K and the mean on loss, flat across the axis', () => {
    const b = { chance: { accuracy: 1 / 3, loss: Math.log(3) }, majority: { accuracy: 0.63, loss: 0.87, label: 'negative' }, split: 'val' as const };
    expect(baselineValues(b, 'accuracy').map((v) => [v.name, v.y])).toEqual([['majority class "negative" (63.0%)', 0.63], ['chance (33.3%)', 1 / 3]]);
    expect(baselineValues(b, 'loss').map((v) => v.y)).toEqual([0.87, Math.log(3)]);
    expect(baselineValues({ mean: { loss: 0.42 }, split: 'val' }, 'loss').map((v) => v.name)).toEqual(['always the mean (0.420)']);
    expect(baselineValues(undefined, 'loss')).toEqual([]);
    const lines = baselineLines(b, 'accuracy', 5);
    expect(lines.map((l) => l.points)).toEqual([[{ x: 0, y: 0.63 }, { x: 5, y: 0.63 }], [{ x: 0, y: 1 / 3 }, { x: 5, y: 1 / 3 }]]);
  });

  it('the y extent takes in the overlaid lines', () => {
    const lines = baselineLines({ chance: { accuracy: 0.25, loss: Math.log(4) }, split: 'val' }, 'loss', 3);
    expect(joinExtent([0.2, 0.9], lines)).toEqual([0.2, Math.log(4)]);
    expect(joinExtent(null, [])).toBeNull();
    expect(joinExtent(null, lines)).toEqual([Math.log(4), Math.log(4)]);
  });
});
