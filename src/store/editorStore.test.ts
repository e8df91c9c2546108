/** Store commands on a headless editor (no DOM): undo grouping, pruning, paste names, autosave round trip. */
import { describe, expect, it, vi } from 'vitest';
import { chain, nodeByName } from '../core/build.ts';
import { TEMPLATES } from '../../templates/index.ts';
import { createEditorStore } from './editorStore.ts';
import { attachAutosave, restoreDoc, serializeDoc } from './persist.ts';
import { layoutGraph } from './layout.ts';

const sentiment = TEMPLATES.find((t) => t.id === 'sentiment')!.project;

function lstmPair() {
  const g = chain([
    { kind: 'Input', params: { shape: [10, 4] } },
    { kind: 'LSTM', params: { units: 8 }, name: 'encoder' },
  ], { output: false });
  const store = createEditorStore({ graph: g });
  const dec = store.getState().addNode('LSTM', { x: 600, y: 0 });
  return { store, enc: nodeByName(g, 'encoder').id, dec };
}

describe('editor store', () => {
  it('opens a template with its inference and summary', () => {
    const store = createEditorStore();
    store.getState().load(sentiment, { fresh: true });
    const s = store.getState();
    expect(s.summary.total).toBe(2000 + 2 * 4 * 8 * (2 + 8 + 1) + 16 * 3 + 3);
    expect(s.inference.hasErrors).toBe(false);
    expect(store.temporal.getState().pastStates).toHaveLength(0);
  });

  it('groups a whole drag into one undo step', () => {
    const store = createEditorStore({ graph: sentiment.graph });
    const id = sentiment.graph.nodes[1].id;
    const start = store.getState().byId.get(id)!.position;
    for (let k = 1; k <= 30; k++) store.getState().dragMove(new Map([[id, { x: start.x + k * 5, y: start.y + k }]]));
    // The document is untouched during the drag; the overlay holds the positions.
    expect(store.getState().byId.get(id)!.position).toEqual(start);
    store.getState().dragEnd();
    expect(store.getState().byId.get(id)!.position).toEqual({ x: start.x + 150, y: start.y + 30 });
    expect(store.temporal.getState().pastStates).toHaveLength(1);
    store.getState().undo();
    expect(store.getState().byId.get(id)!.position).toEqual(start);
    store.getState().redo();
    expect(store.getState().byId.get(id)!.position).toEqual({ x: start.x + 150, y: start.y + 30 });
  });

  it('a drag that ends where it began adds no step', () => {
    const store = createEditorStore({ graph: sentiment.graph });
    const n = sentiment.graph.nodes[0];
    store.getState().dragMove(new Map([[n.id, { x: 99, y: 99 }]]));
    store.getState().dragMove(new Map([[n.id, n.position]]));
    store.getState().dragEnd();
    expect(store.temporal.getState().pastStates).toHaveLength(0);
  });

  it('turning return_state off removes the state wires; undo brings them back', () => {
    const { store, enc, dec } = lstmPair();
    const s = () => store.getState();
    s().setParams(enc, { return_state: true });
    expect(s().views.get(enc)!.outputs.map((p) => p.label)).toEqual(['output', 'h', 'c']);
    s().connect({ source: enc, sourcePort: 'h', target: dec, targetPort: 'h' });
    s().connect({ source: enc, sourcePort: 'c', target: dec, targetPort: 'c' });
    expect(s().graph.edges.filter((e) => e.target === dec)).toHaveLength(2);
    s().setParams(enc, { return_state: false });
    expect(s().graph.edges.filter((e) => e.target === dec)).toHaveLength(0);
    expect(s().views.get(enc)!.outputs.map((p) => p.label)).toEqual(['output']);
    s().undo();
    expect(s().graph.edges.filter((e) => e.target === dec)).toHaveLength(2);
    expect(s().views.get(enc)!.outputs.map((p) => p.label)).toEqual(['output', 'h', 'c']);
  });

  it('refuses a wire that cannot work and says why, leaving the graph as it was', () => {
    const store = createEditorStore({ graph: sentiment.graph });
    const lstm = store.getState().addNode('Dense', { x: 0, y: 300 });
    const before = store.getState().graph;
    const ids = sentiment.graph.nodes.find((n) => n.kind === 'Input')!.id;
    const r = store.getState().connect({ source: ids, sourcePort: 'output', target: lstm, targetPort: 'input' });
    expect(r.ok).toBe(false);
    expect(store.getState().graph).toBe(before);
    expect(store.getState().messages.at(-1)?.text).toMatch(/Embedding/);
  });

  it('a message about the graph goes at the next edit or undo; opening a project clears every message', () => {
    const store = createEditorStore({ graph: sentiment.graph });
    const dense = store.getState().addNode('Dense', { x: 0, y: 300 });
    const ids = sentiment.graph.nodes.find((n) => n.kind === 'Input')!.id;
    store.getState().notify('success', 'Saved sentiment.unroll.json');
    store.getState().connect({ source: ids, sourcePort: 'output', target: dense, targetPort: 'input' });
    expect(store.getState().messages.map((m) => m.text)).toEqual(['Saved sentiment.unroll.json', expect.stringMatching(/Embedding/)]);
    store.getState().setParams(dense, { units: 3 });
    expect(store.getState().messages.map((m) => m.text)).toEqual(['Saved sentiment.unroll.json']);
    store.getState().connect({ source: ids, sourcePort: 'output', target: dense, targetPort: 'input' });
    expect(store.getState().messages).toHaveLength(2);
    store.getState().undo();
    expect(store.getState().messages.map((m) => m.text)).toEqual(['Saved sentiment.unroll.json']);
    store.getState().load(sentiment);
    expect(store.getState().messages).toEqual([]);
  });

  it('adds a layer after the selected one into its wire, switching on what the next layer needs; one undo step', () => {
    const store = createEditorStore({ graph: sentiment.graph });
    const s = () => store.getState();
    const id = (name: string) => nodeByName(s().graph, name).id;
    const before = s().graph;
    const xBi = nodeByName(before, 'bidirectional').position.x;
    s().select([id('embedding')]);
    const lstm = s().addNext('LSTM');
    const wires = s().graph.edges.map((e) => `${s().byId.get(e.source)!.name}.${e.sourcePort}→${s().byId.get(e.target)!.name}.${e.targetPort}`);
    expect(wires).toContain('embedding.output→lstm.input');
    expect(wires).toContain('lstm.output→bidirectional.input');
    expect(wires).not.toContain('embedding.output→bidirectional.input');
    // Bidirectional needs a sequence: the splice turned return_sequences on, so nothing breaks.
    expect(s().byId.get(lstm)!.params.return_sequences).toBe(true);
    expect(s().inference.hasErrors).toBe(false);
    expect(nodeByName(s().graph, 'bidirectional').position.x).toBeGreaterThan(xBi);
    expect(s().selected).toEqual([lstm]);
    s().undo();
    expect(s().graph).toBe(before);
  });

  it('a wire onto a taken input replaces the old one and says so; undo puts the old one back', () => {
    const store = createEditorStore({ graph: sentiment.graph });
    const s = () => store.getState();
    const emb = nodeByName(s().graph, 'embedding').id, bi = nodeByName(s().graph, 'bidirectional').id;
    const dense = s().addNode('Dense', { x: 0, y: 400 });
    s().connect({ source: emb, sourcePort: 'output', target: dense, targetPort: 'input' });
    const before = s().graph;
    s().connect({ source: dense, sourcePort: 'output', target: bi, targetPort: 'input' });
    expect(s().graph.edges.filter((e) => e.target === bi && e.targetPort === 'input').map((e) => e.source)).toEqual([dense]);
    expect(s().messages.at(-1)?.text).toBe('Replaced the wire embedding → bidirectional.input: an input takes one wire. Undo (Ctrl+Z) puts it back.');
    s().undo();
    expect(s().graph).toBe(before);
    expect(s().messages).toEqual([]);
  });

  it('changes a layer\'s kind in place: LSTM → GRU → SimpleRNN keeps name, units, switches and wires', () => {
    const { store, enc, dec } = lstmPair();
    const s = () => store.getState();
    s().setParams(enc, { units: 6, return_state: true, return_sequences: true, dropout: 0.2 });
    s().setParams(dec, { units: 6 });
    s().connect({ source: enc, sourcePort: 'h', target: dec, targetPort: 'h' });
    s().connect({ source: enc, sourcePort: 'c', target: dec, targetPort: 'c' });
    s().changeKind(enc, 'GRU');
    const n = s().byId.get(enc)!;
    expect(n).toMatchObject({ kind: 'GRU', name: 'encoder', params: { units: 6, return_state: true, return_sequences: true, dropout: 0.2, reset_after: true } });
    // GRU has one state: the c wire went, h stays; the message says so.
    expect(s().graph.edges.filter((e) => e.source === enc).map((e) => e.sourcePort).sort()).toEqual(['h']);
    expect(s().messages.at(-1)?.text).toMatch(/^encoder is now a GRU: .*the wire into c went/);
    s().changeKind(enc, 'SimpleRNN');
    expect(s().byId.get(enc)).toMatchObject({ kind: 'SimpleRNN', name: 'encoder', params: { units: 6, return_state: true } });
    expect(s().byId.get(enc)!.params).not.toHaveProperty('reset_after');
    s().undo();
    s().undo();
    expect(s().byId.get(enc)!.kind).toBe('LSTM');
    // Only into a kind it swaps with: anything else leaves the graph as it is (the core's changeKind throws).
    const g0 = s().graph;
    s().changeKind(enc, 'Dense');
    expect(s().graph).toBe(g0);
  });

  it('an issue carries its fix as an edit; applying it is one step', () => {
    const g = chain([{ kind: 'Input', params: { shape: [10, 4] } }, { kind: 'LSTM', name: 'first' }, { kind: 'LSTM', name: 'second' }, { kind: 'Dense' }]);
    const store = createEditorStore({ graph: g });
    const issue = store.getState().inference.issues.find((i) => i.code === 'rank')!;
    expect(issue.action).toEqual({ label: 'Turn on return_sequences on first', nodeId: nodeByName(g, 'first').id, params: { return_sequences: true } });
    store.getState().applyFix(issue.action!);
    expect(store.getState().inference.hasErrors).toBe(false);
    expect(store.temporal.getState().pastStates).toHaveLength(1);
    // The wrapped layer's switch, for a Bidirectional.
    const b = chain([{ kind: 'Input', params: { shape: [10, 4] } }, { kind: 'Bidirectional', name: 'bi' }, { kind: 'LSTM' }, { kind: 'Dense' }]);
    const bs = createEditorStore({ graph: b });
    const act = bs.getState().inference.issues.find((i) => i.code === 'rank')!.action!;
    expect(act).toMatchObject({ label: 'Turn on return_sequences in the layer wrapped by bi', inner: 'layer', params: { return_sequences: true } });
    bs.getState().applyFix(act);
    expect(bs.getState().inference.hasErrors).toBe(false);
  });

  it('pastes at the pointer, or clear of the originals', () => {
    const store = createEditorStore({ graph: sentiment.graph });
    const s = () => store.getState();
    const dense = nodeByName(s().graph, 'dense');
    s().setSizes({ [dense.id]: { width: 200, height: 130 } });
    s().select([dense.id]);
    s().copy();
    s().paste({ x: 900, y: 700 });
    expect(s().byId.get(s().selected[0])!.position).toEqual({ x: 900, y: 700 });
    s().paste();
    const p = s().byId.get(s().selected[0])!.position;
    expect(p.x).toBe(dense.position.x);
    expect(p.y).toBeGreaterThanOrEqual(dense.position.y + 130 + 40);
    s().select([dense.id]);
    s().duplicate();
    const d = s().byId.get(s().selected[0])!.position;
    expect(d.y).toBeGreaterThanOrEqual(dense.position.y + 130 + 40);
    expect(d).not.toEqual(p); // not on the earlier paste either
  });

  it('paste gives unique names and fresh ids, keeping the wires among the copies', () => {
    const store = createEditorStore({ graph: sentiment.graph });
    const s = () => store.getState();
    const ids = sentiment.graph.nodes.slice(1, 3).map((n) => n.id);
    s().select(ids);
    s().copy();
    s().paste();
    s().paste();
    const names = s().graph.nodes.map((n) => n.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('embedding_1');
    expect(names).toContain('bidirectional_2');
    expect(s().graph.nodes).toHaveLength(9);
    expect(s().graph.edges).toHaveLength(4 + 2);
    expect(s().selected).toHaveLength(2);
    expect(s().inference.issues.filter((i) => i.code === 'name-duplicate')).toEqual([]);
  });

  it('rename refuses a taken or invalid name', () => {
    const store = createEditorStore({ graph: sentiment.graph });
    const id = sentiment.graph.nodes[3].id;
    expect(store.getState().rename(id, 'embedding')).toMatch(/already/);
    expect(store.getState().rename(id, ' ')).toMatch(/needs a name/);
    expect(store.getState().rename(id, '2nd dense')).toBeNull(); // Keras takes any name
    expect(store.getState().rename(id, 'classifier')).toBeNull();
    expect(store.getState().summary.rows.map((r) => r.name)).toContain('classifier');
  });

  it('adds a layer next to the selected one, wired to it', () => {
    const store = createEditorStore({ graph: sentiment.graph });
    const s = () => store.getState();
    s().select([sentiment.graph.nodes[3].id]);
    const id = s().addNext('Dropout');
    expect(s().graph.edges.some((e) => e.source === sentiment.graph.nodes[3].id && e.target === id)).toBe(true);
    expect(s().views.get(id)!.outputs[0].shape).toBe('(None, 3)');
  });

  it('swaps the wrapped layer of a Bidirectional, keeping shared parameters', () => {
    const store = createEditorStore({ graph: sentiment.graph });
    const bi = sentiment.graph.nodes[2].id;
    store.getState().setInnerKind(bi, 'layer', 'GRU');
    expect(store.getState().byId.get(bi)!.params.layer).toEqual({ kind: 'GRU', params: { units: 8 } });
    expect(store.getState().views.get(bi)!.params).toBe(2 * 3 * 8 * (2 + 8 + 2));
  });

  it('autosave writes the project file (debounced) and it restores to the same document', async () => {
    vi.useFakeTimers();
    try {
      const store = createEditorStore({ graph: sentiment.graph, name: 'sentiment', extras: { training: sentiment.training, dataset: sentiment.dataset } });
      const writes: string[] = [];
      const auto = attachAutosave(store, { write: (t) => { writes.push(t); }, delay: 100 });
      store.getState().addNode('Dense', { x: 10, y: 300 });
      store.getState().setParams(store.getState().selected[0], { units: 7 });
      expect(writes).toHaveLength(0);
      vi.advanceTimersByTime(150);
      expect(writes).toHaveLength(1);
      const r = restoreDoc(writes[0]);
      if (!r.ok) throw new Error(r.error);
      const again = createEditorStore();
      again.getState().load(r.project, { fresh: true });
      expect(again.getState().graph).toEqual(store.getState().graph);
      expect(again.getState().name).toBe('sentiment');
      expect(again.getState().extras).toEqual(store.getState().extras);
      expect(serializeDoc(again.getState())).toBe(writes[0]);
      auto.stop();
    } finally {
      vi.useRealTimers();
    }
  });

  it('keyboard navigation walks the graph in order', () => {
    const store = createEditorStore({ graph: sentiment.graph });
    const s = () => store.getState();
    s().navigate('next');
    expect(s().selected).toEqual(['n1']);
    s().navigate('right');
    expect(s().selected).toEqual(['n2']);
    s().navigate('prev');
    expect(s().selected).toEqual(['n1']);
  });

  it('auto-layout places the chain left to right', async () => {
    const store = createEditorStore({ graph: sentiment.graph });
    const pos = await layoutGraph(store.getState().graph, {});
    const xs = sentiment.graph.nodes.map((n) => pos.get(n.id)!.x);
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
    store.getState().moveNodes(pos);
    expect(store.temporal.getState().pastStates).toHaveLength(1);
  });
});

describe('training settings', () => {
  it('setTraining changes extras.training, ignores invalid values and leaves the graph history alone', () => {
    const store = createEditorStore();
    store.getState().load(sentiment, { fresh: true });
    const extras = store.getState().extras;
    store.getState().setTraining({ epochs: 1, batch_size: 32, optimizer: 'sgd' });
    expect(store.getState().extras.training).toMatchObject({ epochs: 1, batch_size: 32, optimizer: 'sgd', learning_rate: 0.001 });
    expect(store.getState().extras.dataset).toBe(extras.dataset);
    const before = store.getState().extras;
    store.getState().setTraining({ learning_rate: -1 });
    store.getState().setTraining({ epochs: 1 });
    expect(store.getState().extras).toBe(before);
    expect(store.temporal.getState().pastStates).toHaveLength(0);
  });
});
