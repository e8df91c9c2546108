/** Recent projects and "open as new": nothing the user made is lost when a template or lesson step opens. */
import { describe, expect, it } from 'vitest';
import { getTemplate } from '../../templates/index.ts';
import { createEditorStore } from './editorStore.ts';
import { createLessonStore, LESSON_KEY } from './lesson.ts';
import { createRecentStore, docSignature, openAsNew, openRecent, type RecentEntry } from './recent.ts';

function setup(stored: unknown = []) {
  const writes: (readonly RecentEntry[])[] = [];
  let t = 1_000;
  const recent = createRecentStore({ read: () => stored, write: (e) => { writes.push(e); }, now: () => t++ });
  const editor = createEditorStore();
  return { recent, editor, writes };
}

const sentiment = getTemplate('sentiment')!.project;
const gru = getTemplate('forecast-gru')!.project;

describe('recent projects', () => {
  it('keeps the user\'s own work when a template opens, and opens the template as a new project', () => {
    const { recent, editor, writes } = setup();
    openAsNew(editor, recent, sentiment);
    // The learner edits the template: now it is their work.
    const lstm = editor.getState().graph.nodes.find((n) => n.kind === 'Bidirectional')!;
    editor.getState().setParams(lstm.id, { merge_mode: 'sum' });
    editor.getState().setName('my sentiment');
    const kept = openAsNew(editor, recent, gru);
    expect(kept).toBe(true);
    expect(editor.getState().name).toBe('forecast-gru');
    expect(editor.temporal.getState().pastStates).toHaveLength(0);
    const [entry] = recent.getState().entries;
    expect(entry.name).toBe('my sentiment');
    expect(entry.text).toContain('"merge_mode": "sum"');
    expect(writes.at(-1)).toEqual(recent.getState().entries);
  });

  it('does not keep an untouched template (moving nodes is not a change), nor an empty canvas', () => {
    const { recent, editor } = setup();
    expect(openAsNew(editor, recent, sentiment)).toBe(false); // the empty start
    const id = editor.getState().graph.nodes[0].id;
    editor.getState().moveNodes(new Map([[id, { x: 500, y: 500 }]]));
    expect(openAsNew(editor, recent, gru)).toBe(false);
    expect(recent.getState().entries).toEqual([]);
  });

  it('keeps a restored (autosaved) document, which has no baseline', () => {
    const { recent, editor } = setup();
    editor.getState().load(sentiment, { fresh: true }); // as main.tsx restores the autosave
    expect(openAsNew(editor, recent, gru)).toBe(true);
    expect(recent.getState().entries.map((e) => e.name)).toEqual(['sentiment']);
  });

  it('opens a recent entry, keeping the current work in its place; identical documents are listed once', () => {
    const { recent, editor } = setup();
    editor.getState().load(sentiment, { fresh: true });
    openAsNew(editor, recent, gru);
    editor.getState().setName('gru edited');
    const id = recent.getState().entries[0].id;
    expect(openRecent(editor, recent, id)).toEqual({ ok: true, kept: true });
    expect(editor.getState().name).toBe('sentiment');
    expect(recent.getState().entries.map((e) => e.name)).toEqual(['gru edited']);
    // Reopened work is the user's: opening something else keeps it even unchanged.
    openAsNew(editor, recent, gru);
    openAsNew(editor, recent, sentiment);
    openAsNew(editor, recent, gru);
    expect(recent.getState().entries.map((e) => e.name)).toEqual(['sentiment', 'gru edited']);
    expect(openRecent(editor, recent, 'nope')).toEqual({ ok: false, error: 'That recent project is gone.' });
  });

  it('restores the stored list, dropping malformed entries, and caps its length', async () => {
    const good = { id: 'a', name: 'a', savedAt: 1, layers: 2, text: '{}' };
    const { recent } = setup([good, { id: 3 }, 'x']);
    await recent.getState().restore();
    expect(recent.getState().entries).toEqual([good]);
    const capped = createRecentStore({ read: () => [], write: () => {}, limit: 2 });
    const editor = createEditorStore();
    for (const name of ['one', 'two', 'three']) {
      editor.getState().load({ ...sentiment, name }, { fresh: true });
      capped.getState().add(editor.getState());
    }
    expect(capped.getState().entries.map((e) => e.name)).toEqual(['three', 'two']);
  });

  it('reports a storage that refuses, and keeps the list in memory', async () => {
    const errors: unknown[] = [];
    const recent = createRecentStore({ read: () => { throw new Error('no idb'); }, write: () => Promise.reject(new Error('quota')), onError: (e) => errors.push(e) });
    await recent.getState().restore();
    const editor = createEditorStore();
    editor.getState().load(sentiment, { fresh: true });
    recent.getState().add(editor.getState());
    await new Promise((r) => setTimeout(r));
    expect(recent.getState().entries).toHaveLength(1);
    expect(errors.map((e) => (e as Error).message)).toEqual(['no idb', 'quota']);
  });

  it('signatures ignore positions but not parameters', () => {
    const a = { graph: sentiment.graph, name: 's', extras: sentiment };
    const moved = { ...a, graph: { ...a.graph, nodes: a.graph.nodes.map((n) => ({ ...n, position: { x: 1, y: 2 } })) } };
    expect(docSignature(moved)).toBe(docSignature(a));
    const changed = { ...a, graph: { ...a.graph, nodes: a.graph.nodes.map((n, k) => (k === 1 ? { ...n, params: { ...n.params, output_dim: 3 } } : n)) } };
    expect(docSignature(changed)).not.toBe(docSignature(a));
  });
});

describe('lesson progress', () => {
  const known = ['one', 'two'];
  it('is saved and resumed, ignoring unknown or unreadable progress', () => {
    const storage = new Map<string, string>();
    const make = () => createLessonStore({ read: () => storage.get(LESSON_KEY), write: (t) => storage.set(LESSON_KEY, t), known });
    const a = make();
    expect(a.getState()).toMatchObject({ open: false, step: null, done: [] });
    a.getState().goTo('two');
    a.getState().markDone('two');
    a.getState().markDone('two');
    a.getState().markDone('three');
    a.getState().goTo('three');
    expect(make().getState()).toMatchObject({ open: true, step: 'two', done: ['two'] });
    storage.set(LESSON_KEY, JSON.stringify({ open: true, step: 'gone', done: ['one', 'gone'] }));
    expect(make().getState()).toMatchObject({ open: true, step: null, done: ['one'] });
    storage.set(LESSON_KEY, '{broken');
    expect(make().getState()).toMatchObject({ open: false, step: null, done: [] });
    const b = make();
    b.getState().goTo('one');
    b.getState().reset();
    expect(make().getState()).toMatchObject({ step: null, done: [] });
  });

  it('survives a storage that refuses to write', () => {
    const s = createLessonStore({ read: () => null, write: () => { throw new Error('quota'); }, known });
    s.getState().goTo('one');
    expect(s.getState().step).toBe('one');
  });
});
