/**
 * The size estimate of a node not rendered yet (estimate.ts), against boxes measured in Chromium at
 * zoom 1 (the templates' nodes, `store.sizes`, and their first input handle): within a pixel.
 */
import { describe, expect, it } from 'vitest';
import { TEMPLATES } from '../../../templates/index.ts';
import { createEditorStore } from '../../store/editorStore.ts';
import { estimateBox } from './estimate.ts';

function boxes(id: string) {
  const t = TEMPLATES.find((x) => x.id === id)!;
  const s = createEditorStore({ graph: t.project.graph }).getState();
  return (name: string) => {
    const n = s.graph.nodes.find((x) => x.name === name)!;
    const box = estimateBox(n, s.views.get(n.id));
    return { height: box.height, handle: Math.round(box.handles.find((h) => h.type === 'target')?.y ?? NaN), view: s.views.get(n.id)! };
  };
}

describe('estimateBox', () => {
  it('a recurrent layer with its initial states hidden counts the row under its ports ("+ initial state" and unroll): 187 px measured', () => {
    const lstm = boxes('lstm-stack')('lstm');
    expect(lstm.view.inputs.some((p) => p.optional && !p.connected)).toBe(true);
    // 165 without the row; the handles stay above it (measured 119 from the top).
    expect(lstm.height).toBe(187);
    expect(lstm.handle).toBe(118);
  });

  it('with its initial states wired (nothing hidden) the row still holds the unroll button: 235 px measured', () => {
    const dec = boxes('encoder-decoder')('decoder');
    expect(dec.view.inputs.filter((p) => p.optional).every((p) => p.connected)).toBe(true);
    expect(dec.height).toBe(235);
  });

  it('without a view (one input, one output) a recurrent kind has the row too; other kinds do not', () => {
    const g = TEMPLATES.find((x) => x.id === 'lstm-stack')!.project.graph;
    const lstm = g.nodes.find((n) => n.kind === 'LSTM')!;
    const dense = g.nodes.find((n) => n.kind === 'Dense')!;
    expect(estimateBox(lstm, undefined).height).toBe(187);
    expect(estimateBox(dense, undefined).height).toBe(126);
  });

  it('wrapped layers: Bidirectional 228 (measured 227), TimeDistributed 140 (measured 141), handles where measured', () => {
    expect(boxes('sentiment')('bidirectional')).toMatchObject({ height: 228, handle: 159 });
    expect(boxes('initial-state')('time_distributed')).toMatchObject({ height: 140, handle: 93 });
  });
});
