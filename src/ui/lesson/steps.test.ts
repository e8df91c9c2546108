/**
 * The lesson path against the core: every step's graph gives the summary the Keras lesson prints
 * (pinned), every "try this" produces exactly the effect its text states (and did not hold before),
 * and the numbers the texts quote are the ones the core computes.
 */
import { describe, expect, it } from 'vitest';
import { inferGraph } from '../../core/infer.ts';
import { formatSummary, summarize, thousands } from '../../core/summary.ts';
import { getTemplate } from '../../../templates/index.ts';
import { applyAction, effectHolds } from './check.ts';
import { LESSON_STEPS } from './steps.ts';
import { LESSON_STEP_IDS } from './ids.ts';

const context = (graph: ReturnType<(typeof LESSON_STEPS)[number]['graph']>) => {
  const inference = inferGraph(graph);
  return { graph, inference, summary: summarize(graph, inference) };
};

/** The rows of the summary as the lesson prints it: name (class), shape, params. */
const lessonRows = (s: (typeof LESSON_STEPS)[number]) => {
  const g = s.graph();
  const inf = inferGraph(g);
  return summarize(g, inf, { as: s.form }).rows.map((r) => `${r.name} (${r.kerasClass}) ${r.outputShape} ${r.params}`);
};

describe('the lesson path', () => {
  it('follows the lesson in order, with unique ids, and opens graphs without errors', () => {
    expect(LESSON_STEPS.map((s) => s.id)).toEqual([
      'simple-rnn', 'initial-state', 'stacked', 'bidirectional', 'lstm', 'return-state', 'decoder', 'gru', 'embedding', 'classifier',
    ]);
    expect(LESSON_STEPS.map((s) => s.id)).toEqual(LESSON_STEP_IDS); // the ids the app checks saved progress against
    for (const s of LESSON_STEPS) {
      const errors = inferGraph(s.graph()).issues.filter((i) => i.severity === 'error');
      expect(errors, s.id).toEqual([]);
      if (s.template) expect(getTemplate(s.template), `${s.id} → ${s.template}`).toBeDefined();
    }
  });

  it('gives the summaries the Keras lesson prints', () => {
    const rows = Object.fromEntries(LESSON_STEPS.map((s) => [s.id, lessonRows(s)]));
    expect(rows).toEqual({
      'simple-rnn': ['simple_rnn (SimpleRNN) (None, 32) 1120'],
      'initial-state': ['dummy_inputs (InputLayer) (16, 5, 2) 0', 'initial_state (InputLayer) (16, 3) 0', 'simple_rnn (SimpleRNN) (16, 3) 18'],
      stacked: ['input_layer (InputLayer) (None, 32, 5) 0', 'simple_rnn (SimpleRNN) (None, 32, 16) 352', 'simple_rnn_1 (SimpleRNN) (None, 8) 200'],
      bidirectional: ['bidirectional (Bidirectional) (None, 64, 32) 768'],
      lstm: ['lstm (LSTM) (None, None, 16) 1856', 'lstm_1 (LSTM) (None, 16) 2112'],
      'return-state': ['input_layer (InputLayer) (None, 8, 4) 0', 'lstm (LSTM) [(None, 8, 6), (None, 6), (None, 6)] 264'],
      decoder: [
        'encoder_inputs (InputLayer) (None, 8, 4) 0', 'decoder_inputs (InputLayer) (None, 5, 3) 0',
        'encoder (LSTM) [(None, 6), (None, 6), (None, 6)] 264', 'decoder (LSTM) (None, 5, 6) 240',
      ],
      gru: ['gru (GRU) (None, None, 16) 1440', 'gru_1 (GRU) (None, 16) 1632'],
      embedding: ['embedding (Embedding) (None, None, 2) 2000'],
      classifier: ['embedding (Embedding) (None, None, 2) 2000', 'bidirectional (Bidirectional) (None, 16) 704', 'dense (Dense) (None, 3) 51'],
    });
  });

  it('prints the Sequential summary of the first model exactly as Keras 3 does', () => {
    const s = LESSON_STEPS[0];
    const g = s.graph();
    expect(formatSummary(summarize(g, inferGraph(g), { as: 'sequential' }))).toBe([
      'Model: "sequential"',
      '┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓',
      '┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃',
      '┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩',
      '│ simple_rnn (SimpleRNN)          │ (None, 32)             │         1,120 │',
      '└─────────────────────────────────┴────────────────────────┴───────────────┘',
      ' Total params: 1,120 (4.38 KB)',
      ' Trainable params: 1,120 (4.38 KB)',
      ' Non-trainable params: 0 (0.00 B)',
    ].join('\n'));
  });

  for (const s of LESSON_STEPS) {
    it(`${s.id}: "${s.tryThis.text}" has the stated effect, which did not hold before`, () => {
      const before = context(s.graph());
      const after = context(applyAction(before.graph, s.tryThis.action));
      const effect = s.tryThis.effect;
      if (effect.type === 'trained') {
        // Checked by training (e2e and the template test); here: the numbers agree with the template's.
        const t = getTemplate(s.template!)!;
        expect(t.project.expected?.metric).toBe(effect.metric);
        expect(effect.atLeast).toBeLessThanOrEqual(t.project.expected!.at_least!);
        expect(effectHolds(effect, { ...after, test: { loss: 1, accuracy: effect.atLeast } })).toBe(true);
        expect(effectHolds(effect, { ...after, test: { loss: 1, accuracy: effect.atLeast - 0.01 } })).toBe(false);
        return;
      }
      expect(effectHolds(effect, before)).toBe(false);
      expect(effectHolds(effect, after)).toBe(true);
      // The text quotes what the core computes.
      if (effect.type === 'rows') {
        for (const r of effect.rows) {
          if (r.shape) expect(s.tryThis.expect).toContain(r.shape);
          if (r.params !== undefined) expect(s.tryThis.expect).toContain(thousands(r.params));
        }
      }
      if (effect.type === 'issue') {
        const n = after.graph.nodes.find((x) => x.name === effect.node)!;
        const issue = after.inference.issues.find((i) => i.nodeId === n.id && i.code === effect.code)!;
        expect(issue.severity).toBe('error');
        // Every shape the core's message names appears in the step's text.
        for (const shape of issue.message.match(/\((?:None|\d+)(?:, (?:None|\d+))*\)/g) ?? []) {
          expect(s.tryThis.expect, issue.message).toContain(shape);
        }
      }
    });
  }

  it('quotes parameter counts the core computes', () => {
    for (const s of LESSON_STEPS) {
      const g = s.graph();
      const summary = summarize(g, inferGraph(g), { as: s.form });
      // Every "= N parameters" claim in the notice is a row's count or the total.
      const counts = new Set([summary.total, ...summary.rows.map((r) => r.params ?? -1)].map((n) => thousands(n)));
      for (const m of s.notice.matchAll(/= ([\d,]+)(?: parameters| for)/g)) expect(counts, `${s.id}: ${m[0]}`).toContain(m[1]);
    }
  });
});
