/** What the gallery says about each template: numbers from the core and the template file. */
import { describe, expect, it } from 'vitest';
import { inferGraph } from '../../core/infer.ts';
import { summarize } from '../../core/summary.ts';
import { TEMPLATES } from '../../../templates/index.ts';
import { formulaParts } from '../lesson/Formula.tsx';
import { cardOf, duration, resultText } from './cards.ts';

describe('gallery cards', () => {
  it('give each template its core parameter count, dataset name, result and picture', () => {
    for (const t of TEMPLATES) {
      const c = cardOf(t);
      expect(c.params, t.id).toBe(summarize(t.project.graph, inferGraph(t.project.graph)).total);
      expect(c.dataset, t.id).not.toBe(t.project.dataset!.id); // a catalog name, not the id
      expect(c.result).toBe(resultText(t.project.expected!));
      expect(decodeURIComponent(c.picture)).toMatch(/^data:image\/svg\+xml;charset=utf-8,<svg /);
    }
  });

  it('words results and times', () => {
    expect(resultText({ metric: 'accuracy', at_least: 0.9, split: 'test', epochs: 5, seconds: 30 })).toBe('test accuracy ≥ 0.90 after 5 epochs');
    expect(resultText({ metric: 'loss', at_most: 0.01, split: 'val', epochs: 1, seconds: 30 })).toBe('validation loss ≤ 0.010 after 1 epoch');
    expect(duration(3)).toBe('about 5 s');
    expect(duration(42)).toBe('about 40 s');
    expect(duration(190)).toBe('about 3 min');
  });

  it('typesets equations: _x and _{…} subscripts, ^ superscripts, the rest as text', () => {
    expect(formulaParts('ŷ = softmax(W [h→_T ; h←_1] + b)')).toEqual([
      { kind: 'text', text: 'ŷ = softmax(W [h→' }, { kind: 'sub', text: 'T' }, { kind: 'text', text: ' ; h←' }, { kind: 'sub', text: '1' }, { kind: 'text', text: '] + b)' },
    ]);
    expect(formulaParts('W_{hh}ᵀ δ')).toEqual([{ kind: 'text', text: 'W' }, { kind: 'sub', text: 'hh' }, { kind: 'text', text: 'ᵀ δ' }]);
    expect(formulaParts('x^2 + y')).toEqual([{ kind: 'text', text: 'x' }, { kind: 'sup', text: '2' }, { kind: 'text', text: ' + y' }]);
    expect(formulaParts('no markup')).toEqual([{ kind: 'text', text: 'no markup' }]);
  });
});
