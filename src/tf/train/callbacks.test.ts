/**
 * Keras's callback decisions by hand (no TF.js): EarlyStopping (the Keras docstring's example,
 * min_delta, baseline, start_from_epoch, restore), ReduceLROnPlateau (patience, cooldown, min_lr),
 * ExponentialDecay, and class weights (given, 'balanced').
 */
import { describe, expect, it } from 'vitest';
import { earlyStoppingSchema, lrScheduleSchema } from '../../core/project.ts';
import { classWeights, EarlyStopper, maximizes, PlateauReducer, scheduledRate } from './callbacks.ts';

const es = (o: Record<string, unknown>) => earlyStoppingSchema.parse(o);
const run = (stopper: EarlyStopper, values: number[], key: 'loss' | 'val_loss' | 'val_accuracy' = 'loss') => {
  const log: string[] = [];
  for (let e = 0; e < values.length; e++) {
    const d = stopper.onEpochEnd(e, { loss: NaN, [key]: values[e] });
    log.push(`${d.snapshot ? 'S' : '-'}${d.stop ? 'X' : ''}`);
    if (d.stop) break;
  }
  return log;
};

describe('EarlyStopper', () => {
  it('Keras docstring: monitor loss, patience 3, no improvement after the first epoch → 4 epochs run', () => {
    const s = new EarlyStopper(es({ monitor: 'loss', patience: 3, restore_best_weights: false }));
    expect(run(s, [1, 1, 1, 1, 1, 1, 1])).toEqual(['-', '-', '-', '-X']);
    expect(s.stoppedEpoch).toBe(3);
    expect(s.bestEpoch).toBe(0);
    expect(s.restore).toBe(false);
  });

  it('snapshots at every new best and restores the best epoch', () => {
    const s = new EarlyStopper(es({ monitor: 'val_loss', patience: 2 }));
    // best at epoch 2 (0.5); then two epochs without improvement → stop at epoch 4
    expect(run(s, [0.9, 0.7, 0.5, 0.6, 0.55, 0.1], 'val_loss')).toEqual(['S', 'S', 'S', '-', '-X']);
    expect([s.bestEpoch, s.stoppedEpoch, s.bestValue, s.restore]).toEqual([2, 4, 0.5, true]);
  });

  it('min_delta: smaller changes do not count as improvement', () => {
    const s = new EarlyStopper(es({ monitor: 'val_loss', patience: 1, min_delta: 0.1 }));
    expect(run(s, [1, 0.95, 0.5], 'val_loss')).toEqual(['S', '-X']);
    expect(s.bestEpoch).toBe(0);
  });

  it('accuracy is maximised in auto mode; mode min/max override', () => {
    expect(maximizes('val_accuracy', 'auto')).toBe(true);
    expect(maximizes('val_loss', 'auto')).toBe(false);
    expect(maximizes('loss', 'max')).toBe(true);
    const s = new EarlyStopper(es({ monitor: 'val_accuracy', patience: 1 }));
    expect(run(s, [0.5, 0.6, 0.55], 'val_accuracy')).toEqual(['S', 'S', '-X']);
    expect(s.bestEpoch).toBe(1);
  });

  it('baseline: improving on the best but not the baseline does not reset the wait', () => {
    const s = new EarlyStopper(es({ monitor: 'val_loss', patience: 2, baseline: 0.3 }));
    expect(run(s, [0.9, 0.8, 0.85], 'val_loss')).toEqual(['S', 'S', '-X']);
    expect(s.bestEpoch).toBe(1);
    const plain = new EarlyStopper(es({ monitor: 'val_loss', patience: 2 }));
    expect(run(plain, [0.9, 0.8, 0.85], 'val_loss')).toEqual(['S', 'S', '-']);
  });

  it('start_from_epoch and missing values skip epochs', () => {
    const s = new EarlyStopper(es({ monitor: 'val_loss', patience: 0, start_from_epoch: 2 }));
    expect(run(s, [1, 2, 3, 4], 'val_loss')).toEqual(['-', '-', 'S', '-X']);
    const t = new EarlyStopper(es({ monitor: 'val_loss', patience: 0 }));
    expect(t.onEpochEnd(0, { loss: 1, val_loss: NaN })).toEqual({ snapshot: false, stop: false });
  });
});

describe('PlateauReducer', () => {
  const plateau = (o: Record<string, unknown>) => new PlateauReducer(lrScheduleSchema.parse({ kind: 'reduce_on_plateau', ...o }) as never);

  it('reduces by factor after patience epochs without improvement, down to min_lr', () => {
    const p = plateau({ monitor: 'val_loss', factor: 0.5, patience: 1, min_lr: 0.02 });
    let lr = 0.1;
    const seen: number[] = [];
    for (const v of [1, 1, 1, 0.5, 0.5, 0.5, 0.5]) {
      lr = p.onEpochEnd({ loss: 0, val_loss: v }, lr);
      seen.push(lr);
    }
    expect(seen).toEqual([0.1, 0.05, 0.025, 0.025, 0.02, 0.02, 0.02]);
  });

  it('cooldown: no reduction for that many epochs after one', () => {
    const p = plateau({ monitor: 'loss', factor: 0.1, patience: 0, cooldown: 2 });
    const seen: number[] = [];
    let lr = 1;
    for (const v of [5, 5, 5, 5, 5, 5]) {
      lr = p.onEpochEnd({ loss: v }, lr);
      seen.push(Number(lr.toPrecision(6)));
    }
    // epoch 0 improves (best = inf); 1 reduces; 2 cools down; 3 reduces again: Keras counts the
    // cooldown down before it checks it, so cooldown 2 rests one epoch.
    expect(seen).toEqual([1, 0.1, 0.1, 0.01, 0.01, 0.001]);
  });
});

describe('ExponentialDecay', () => {
  it('lr · rate^(step / decay_steps), floored with staircase; constant otherwise', () => {
    const smooth = lrScheduleSchema.parse({ kind: 'exponential_decay', decay_steps: 10, decay_rate: 0.5 });
    const stair = lrScheduleSchema.parse({ kind: 'exponential_decay', decay_steps: 10, decay_rate: 0.5, staircase: true });
    expect(scheduledRate(smooth, 0.1, 0, 0.1)).toBe(0.1);
    expect(scheduledRate(smooth, 0.1, 5, 0.1)).toBeCloseTo(0.1 * Math.SQRT1_2, 12);
    expect(scheduledRate(smooth, 0.1, 20, 0.1)).toBeCloseTo(0.025, 12);
    expect(scheduledRate(stair, 0.1, 19, 0.1)).toBeCloseTo(0.05, 12);
    expect(scheduledRate({ kind: 'constant' }, 0.1, 99, 0.07)).toBe(0.07);
  });
});

describe('class weights', () => {
  it('given weights; missing classes weigh 1; balanced = n / (classes · count)', () => {
    expect(Array.from(classWeights({ '0': 2, '2': 0.5 }, 3, []))).toEqual([2, 1, 0.5]);
    const labels = [0, 0, 0, 0, 0, 0, 1, 1, 1, 2];
    const w = Array.from(classWeights('balanced', 3, labels));
    [10 / 18, 10 / 9, 10 / 3].forEach((v, k) => expect(w[k]).toBeCloseTo(v, 6));
    // A class that never occurs keeps weight 1; the others split n over the classes present.
    const v = Array.from(classWeights('balanced', 4, [0, 0, 1]));
    [3 / 4, 3 / 2, 1, 1].forEach((x, k) => expect(v[k]).toBeCloseTo(x, 6));
  });
});
