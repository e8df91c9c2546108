/** The Train panel's pure view helpers: smoothing, chart series, backend line, binding errors, graph signature. */
import { describe, expect, it } from 'vitest';
import { getTemplate } from '../../../templates/index.ts';
import type { BatchPoint, EpochPoint } from '../../store/trainStore.ts';
import { ChartFeed } from './chartFeed.ts';
import { backendSummary, graphSignature, smooth, splitBindingError } from './runView.ts';

describe('runView', () => {
  it('smooths with a debiased moving average (the first value is kept; constants stay constant)', () => {
    expect(smooth([4, 4, 4], 0.6)).toEqual([4, 4, 4].map(() => expect.closeTo(4, 10)));
    const s = smooth([1, 0], 0.5);
    expect(s[0]).toBeCloseTo(1);
    expect(s[1]).toBeCloseTo((0.25 + 0) / 0.75); // (0.5·0.5·1 + 0.5·0) / (1 − 0.25)
    expect(smooth([3, 7], 0)).toEqual([3, 7]);
  });

  it('puts batches and epochs on one x-axis in epochs; skips missing accuracy and NaN validation', () => {
    const b = (epoch: number, batch: number, loss: number, accuracy?: number): BatchPoint => ({ step: (epoch - 1) * 4 + batch, epoch, batch, batches: 4, loss, ...(accuracy === undefined ? {} : { accuracy }) });
    const batches = [b(1, 2, 1.0, 0.5), b(1, 4, 0.8, 0.6), b(2, 2, 0.6)];
    const epochs: EpochPoint[] = [{ epoch: 1, loss: 0.9, accuracy: 0.55, val_loss: NaN, val_accuracy: 0.6, seconds: 1 }];
    const { loss, accuracy: acc } = new ChartFeed(100, 0).update(batches, epochs);
    expect(loss.raw).toEqual([{ x: 0.5, y: 1 }, { x: 1, y: 0.8 }, { x: 1.5, y: 0.6 }]);
    expect(loss.smooth.map((p) => p.y)).toEqual([1, 0.8, 0.6].map((v) => expect.closeTo(v, 10)));
    expect(loss.train).toEqual([{ x: 1, y: 0.9 }]);
    expect(loss.val).toEqual([]);
    expect(loss.batches).toBe(3);
    expect(loss.extent).toEqual([0.6, 1]);
    expect(acc.raw.map((p) => p.x)).toEqual([0.5, 1]);
    expect(acc.val).toEqual([{ x: 1, y: 0.6 }]);
  });

  it('a chart feed reads only new batches, keeps its view while nothing changed, and starts over for a new run', () => {
    const b = (step: number, loss: number): BatchPoint => ({ step, epoch: 1, batch: step, batches: 1000, loss });
    const feed = new ChartFeed(50);
    const none: EpochPoint[] = [];
    let history: BatchPoint[] = [];
    for (let k = 1; k <= 5000; k++) {
      history = [...history, b(k, k === 1234 ? 99 : 1 / k)];
      if (k % 37 === 0) feed.update(history, none);
    }
    const v = feed.update(history, none);
    expect(feed.update(history, none)).toBe(v);
    expect(v.loss.batches).toBe(5000);
    expect(v.loss.raw.length).toBeLessThanOrEqual(4 * 50);
    expect(v.loss.smooth.length).toBeLessThanOrEqual(50);
    expect(v.loss.raw.some((p) => p.y === 99)).toBe(true); // the spike is drawn
    expect(v.loss.raw[0]).toEqual({ x: 0.001, y: 1 });
    expect(v.loss.raw.at(-1)).toEqual({ x: 5, y: 1 / 5000 });
    // The same view as one update over the whole history.
    expect(new ChartFeed(50).update(history, [])).toEqual(v);
    const next = feed.update([b(1, 3)], []);
    expect(next.loss.batches).toBe(1);
    expect(next.loss.raw).toEqual([{ x: 0.001, y: 3 }]);
  });

  it('says why a backend was chosen, briefly, and flags a fallback', () => {
    expect(backendSummary({ requested: 'auto', backend: 'wasm', reason: 'WebGL2 is software-rendered (ANGLE (SwiftShader)), the slowest backend; wasm (SIMD) trains RNNs fastest on the CPU' }))
      .toEqual({ backend: 'wasm', why: 'WebGL is software-rendered here', fellBack: false });
    expect(backendSummary({ requested: 'webgl', backend: 'wasm', reason: 'wasm: the preferred backend failed (webgl failed: …)' }))
      .toMatchObject({ backend: 'wasm', fellBack: true, why: 'webgl failed here, fell back' });
    expect(backendSummary({ requested: 'cpu', backend: 'cpu', reason: 'chosen in the training settings' }).why).toBe('chosen in the settings');
    expect(backendSummary({
      requested: 'auto', backend: 'cpu', probe: [{ backend: 'wasm', msPerBatch: 21.4 }, { backend: 'cpu', msPerBatch: 8.25 }],
      reason: 'fastest for this model in a short training probe (wasm 21 ms, cpu 8.3 ms per batch); WebGL2 is software-rendered (SwiftShader), the slowest backend',
    })).toEqual({ backend: 'cpu', why: 'fastest here: wasm 21 ms, cpu 8.3 ms per batch; WebGL is software-rendered', fellBack: false });
  });

  it('splits the engine\'s binding error into its problems', () => {
    expect(splitBindingError('The model does not fit the dataset "Noisy sine":\n- dense has 3 units but the target has 1 value. Set units to 1.\n- input is (None, 40) but x is (None, 60, 1).'))
      .toEqual({ intro: 'The model does not fit the dataset "Noisy sine":', problems: ['dense has 3 units but the target has 1 value. Set units to 1.', 'input is (None, 40) but x is (None, 60, 1).'] });
  });

  it('graph signatures ignore positions but see parameters', () => {
    const g = getTemplate('sentiment')!.project.graph;
    const moved = { ...g, nodes: g.nodes.map((n) => ({ ...n, position: { x: n.position.x + 50, y: 0 } })) };
    expect(graphSignature(moved)).toBe(graphSignature(g));
    const edited = { ...g, nodes: g.nodes.map((n) => (n.kind === 'Dense' ? { ...n, params: { ...n.params, units: 7 } } : n)) };
    expect(graphSignature(edited)).not.toBe(graphSignature(g));
  });
});
