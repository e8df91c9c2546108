/** Property tests: random valid graphs always get shapes; random edits never throw; incremental = fresh. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Inferencer, inferGraph } from './infer.ts';
import { mulberry32, randomEdit, randomValidGraph } from './random.ts';
import { summarize, formatSummary } from './summary.ts';
import { TEMPLATES } from '../../templates/index.ts';

describe('random valid graphs', () => {
  it('always get a shape on every port, a parameter count on every node, and no errors', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const g = randomValidGraph(seed);
        const inf = inferGraph(g);
        expect(inf.issues.filter((i) => i.severity === 'error')).toEqual([]);
        for (const n of g.nodes) {
          const ni = inf.node(n.id)!;
          expect(ni.outputTensors.every((t) => t !== null)).toBe(true);
          expect(ni.params).not.toBeNull();
        }
        const s = summarize(g, inf);
        expect(s.total).toBe(inf.totals.trainable + inf.totals.nonTrainable);
        expect(formatSummary(s)).toContain('Total params');
      }),
      { numRuns: 300 },
    );
  });

  it('are the same for the same seed', () => {
    expect(randomValidGraph(7)).toEqual(randomValidGraph(7));
  });
});

describe('random edits', () => {
  it('never throw, and incremental inference equals inference from scratch', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 1, max: 40 }), (seed, edits) => {
        const rand = mulberry32(seed);
        let g = rand() < 0.5 ? randomValidGraph(seed) : TEMPLATES[seed % TEMPLATES.length].project.graph;
        const inc = new Inferencer();
        inc.run(g);
        for (let k = 0; k < edits; k++) {
          g = randomEdit(g, rand);
          const a = inc.run(g);
          const b = inferGraph(g);
          for (const n of g.nodes) {
            expect(a.node(n.id)!.outputTensors).toEqual(b.node(n.id)!.outputTensors);
            expect(a.node(n.id)!.params).toEqual(b.node(n.id)!.params);
          }
          expect(a.issues.map((i) => i.message).sort()).toEqual(b.issues.map((i) => i.message).sort());
          expect(() => formatSummary(summarize(g, a))).not.toThrow();
        }
      }),
      { numRuns: 150 },
    );
  });
});
