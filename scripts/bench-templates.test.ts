/** The template benchmark's parsing, bound check and README rewrite (the training itself is the benchmark). */
import { describe, expect, it } from 'vitest';
import { getTemplate } from '../templates/index.ts';
import { meets, parseTrainOutput, table, withTable } from './bench-templates.ts';

describe('bench:templates', () => {
  it('reads `unroll train --json` lines, ignoring other output', () => {
    const out = [
      'warning: something',
      '{"epoch": 1, "loss": 0.9, "accuracy": 0.6, "val_loss": 0.8, "val_accuracy": 0.65, "seconds": 3.5}',
      '{"epoch": 2, "loss": 0.7, "accuracy": 0.7, "val_loss": 0.7, "val_accuracy": 0.7, "seconds": 3.1}',
      '{"test": {"loss": 0.71, "accuracy": 0.72}, "seconds": 7.2, "backend": "wasm"}',
    ].join('\n');
    const r = parseTrainOutput(out);
    expect(r.epochs).toHaveLength(2);
    expect(r.final).toEqual({ test: { loss: 0.71, accuracy: 0.72 }, seconds: 7.2, backend: 'wasm' });
    expect(parseTrainOutput('nothing').final).toBeNull();
  });

  it('checks a value against the stated bound (at_least or at_most)', () => {
    const acc = getTemplate('sentiment')!;
    const loss = getTemplate('forecast-gru')!;
    expect(meets(acc, acc.project.expected!.at_least!)).toBe(true);
    expect(meets(acc, acc.project.expected!.at_least! - 0.001)).toBe(false);
    expect(meets(loss, loss.project.expected!.at_most!)).toBe(true);
    expect(meets(loss, loss.project.expected!.at_most! * 1.01)).toBe(false);
    expect(meets(loss, null)).toBe(false);
  });

  it('replaces only the table between the README markers', () => {
    const readme = 'intro\n<!-- templates:begin -->\nold\n<!-- templates:end -->\noutro\n';
    const t = table([{ id: 'sentiment', metric: 'accuracy', value: 0.9, epochs: 5, seconds: 30.4, backend: 'wasm', met: true }], '2026-01-01');
    const out = withTable(readme, t);
    expect(out.startsWith('intro\n<!-- templates:begin -->\nMeasured by')).toBe(true);
    expect(out).toContain('| Sentiment classifier (`sentiment`) | many-to-one |');
    expect(out).toContain('| accuracy 0.900 | 5 | 30 |');
    expect(out.endsWith('<!-- templates:end -->\noutro\n')).toBe(true);
    expect(() => withTable('no markers', t)).toThrow(/templates:begin/);
  });
});
