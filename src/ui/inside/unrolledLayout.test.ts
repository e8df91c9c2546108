import { describe, expect, it } from 'vitest';
import { TEMPLATES } from '../../../templates/index.ts';
import { chain, nodeByName } from '../../core/build.ts';
import { inferGraph } from '../../core/infer.ts';
import { unrollNode, type StepInput } from '../../core/unrolled.ts';
import { layoutUnrolled } from './unrolledLayout.ts';

const steps = (n: number, pad = 0): StepInput[] => Array.from({ length: n + pad }, (_, t) => ({ token: t < n ? `w${t}` : '', padding: t >= n }));

describe('unrolled layout', () => {
  it('Bidirectional over a masked example: 2 × T cells, shaded padding, carry lines over skipped cells, one merge', () => {
    const g = TEMPLATES.find((t) => t.id === 'sentiment')!.project.graph;
    const bidi = g.nodes.find((n) => n.kind === 'Bidirectional')!;
    const l = layoutUnrolled(unrollNode(g, inferGraph(g), bidi.id, steps(5, 2))!);
    expect(l.cells).toHaveLength(14);
    expect(l.boxes.filter((b) => b.kind === 'pad')).toHaveLength(2);
    expect(l.cells.filter((c) => c.skipped)).toHaveLength(4);
    // LSTM: h and c lines carried over each skipped cell.
    expect(l.wires.filter((w) => w.kind === 'carry')).toHaveLength(8);
    expect(l.boxes.filter((b) => b.kind === 'merge')).toHaveLength(1);
    expect(l.boxes.filter((b) => b.kind === 'weights')).toHaveLength(2);
    // Every cell taps its chain's one weight bus.
    expect(l.wires.filter((w) => w.kind === 'weight' && w.key.startsWith('tap'))).toHaveLength(14);
    expect(l.wires.filter((w) => w.kind === 'output')).toHaveLength(2);
    expect(l.labels.filter((x) => x.kind === 'token').map((x) => x.text)).toEqual(['w0', 'w1', 'w2', 'w3', 'w4', 'pad', 'pad']);
  });

  it('return_sequences and return_state: every step leaves, final states leave at the end', () => {
    const g = chain([{ kind: 'Input', params: { shape: [6, 2] } }, { kind: 'LSTM', params: { units: 3, return_sequences: true, return_state: true } }]);
    const l = layoutUnrolled(unrollNode(g, inferGraph(g), nodeByName(g, 'lstm').id, steps(6))!);
    expect(l.wires.filter((w) => w.kind === 'output')).toHaveLength(6);
    expect(l.wires.filter((w) => w.kind === 'final').map((w) => w.key)).toEqual(['f0-h', 'f0-c']);
    expect(l.labels.find((x) => x.kind === 'h0')!.text).toBe('h₀, c₀ = 0');
  });
});
