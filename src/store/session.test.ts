/** Safe start and the autosave's last words, with storage in memory. */
import { describe, expect, it } from 'vitest';
import { chain } from '../core/build.ts';
import { newProject, serializeProject } from '../core/project.ts';
import { createDataStore } from './dataStore.ts';
import { createEditorStore } from './editorStore.ts';
import { AUTOSAVE_KEY, attachAutosave, serializeDoc } from './persist.ts';
import { BOOT_KEY, CSV_REJECTED_KEY, markStarted, PENDING_KEY, REJECTED_KEY, restoreSession, type Rejected, type SessionIo } from './session.ts';
import { CSV_KEY } from './csvPersist.ts';
import { attachRunMarker, RUN_KEY, takeInterruptedRun } from './runMarker.ts';
import { createTrainStore } from './trainStore.ts';

function memory(init: Record<string, unknown> = {}, local: Record<string, string> = {}) {
  const db = new Map(Object.entries(init));
  const ls = new Map(Object.entries(local));
  const io: SessionIo = {
    get: async (k) => db.get(k),
    set: async (k, v) => { db.set(k, v); },
    local: { getItem: (k) => ls.get(k) ?? null, setItem: (k, v) => { ls.set(k, v); }, removeItem: (k) => { ls.delete(k); } },
  };
  return { io, db, ls };
}

const good = serializeProject(newProject(chain([{ kind: 'Input', params: { shape: [5, 2] } }, { kind: 'LSTM', params: { units: 3 } }]), 'good'));
const stores = () => ({ store: createEditorStore(), data: createDataStore() });

describe('restoreSession', () => {
  it('opens the autosave and leaves the start marker until the app says it started', async () => {
    const { io, ls } = memory({ [AUTOSAVE_KEY]: good });
    const { store, data } = stores();
    const r = await restoreSession(store, data, io, () => { throw new Error('no fallback expected'); });
    expect(r).toEqual({ restored: true, recovered: [] });
    expect(store.getState().name).toBe('good');
    expect(ls.get(BOOT_KEY)).toBe('project');
    markStarted(io);
    expect(ls.has(BOOT_KEY)).toBe(false);
  });

  it('opens the default when nothing is saved', async () => {
    const { io } = memory();
    const { store, data } = stores();
    let fell = false;
    expect(await restoreSession(store, data, io, () => { fell = true; })).toEqual({ restored: false, recovered: [] });
    expect(fell).toBe(true);
  });

  it.each([
    ['not JSON', 'x{'],
    ['too deep', '['.repeat(3000) + ']'.repeat(3000)],
    ['a prototype key', good.replace('"params": {', '"params": { "__proto__": { "units": 1 },')],
    ['a newer version', good.replace('"version": 2', '"version": 7')],
    ['not a string', 42],
  ])('%s: an empty project, the document kept aside, the autosave replaced', async (_, bad) => {
    const { io, db } = memory({ [AUTOSAVE_KEY]: bad });
    const { store, data } = stores();
    const r = await restoreSession(store, data, io, () => store.getState().load({ name: 'template', graph: { nodes: [], edges: [] } }));
    if (typeof bad !== 'string') {
      expect(r.restored).toBe(false);
      return;
    }
    expect(r.restored).toBe(false);
    expect(r.recovered).toHaveLength(1);
    expect(r.recovered[0].what).toBe('project');
    expect((db.get(REJECTED_KEY) as Rejected).text).toBe(bad);
    expect(store.getState().graph.nodes).toHaveLength(0);
    expect(db.get(AUTOSAVE_KEY)).toBe(serializeDoc(store.getState()));
  });

  it('a start that did not finish opening: the next one keeps the document aside instead of opening it again', async () => {
    const { io, db } = memory({ [AUTOSAVE_KEY]: good }, { [BOOT_KEY]: 'project' });
    const { store, data } = stores();
    const r = await restoreSession(store, data, io, () => {});
    expect(r.restored).toBe(false);
    expect(r.recovered[0].reason).toMatch(/did not finish opening/);
    expect((db.get(REJECTED_KEY) as Rejected).text).toBe(good);
  });

  it('a start that did not finish restoring the CSV opens the project without it', async () => {
    const csv = { project: 'good', file: { name: 'x.csv' }, table: { columns: [], rows: [] }, mapping: {}, split: {} };
    const { io, db } = memory({ [AUTOSAVE_KEY]: good, [CSV_KEY]: csv }, { [BOOT_KEY]: 'csv' });
    const { store, data } = stores();
    const r = await restoreSession(store, data, io, () => {});
    expect(r.restored).toBe(true);
    expect(r.recovered.map((x) => x.what)).toEqual(['csv']);
    expect(db.get(CSV_KEY)).toBeNull();
    expect((db.get(CSV_REJECTED_KEY) as Rejected).text).toBe(JSON.stringify(csv));
  });

  it('prefers the pagehide copy, which is newer, and makes it the autosave', async () => {
    const newer = good.replace('"name": "good"', '"name": "newer"');
    const { io, db, ls } = memory({ [AUTOSAVE_KEY]: good }, { [PENDING_KEY]: newer });
    const { store, data } = stores();
    await restoreSession(store, data, io, () => {});
    expect(store.getState().name).toBe('newer');
    expect(db.get(AUTOSAVE_KEY)).toBe(newer);
    expect(ls.has(PENDING_KEY)).toBe(false);
  });
});

describe('attachAutosave', () => {
  it('flush keeps a synchronous copy of what is not confirmed; a confirmed write needs none', async () => {
    const store = createEditorStore({ name: 'a' });
    const sync: string[] = [];
    let resolve: () => void = () => {};
    const auto = attachAutosave(store, { write: () => new Promise<void>((r) => { resolve = r; }), writeSync: (t) => sync.push(t), delay: 5 });
    store.getState().setName('b');
    auto.flush();
    expect(sync).toHaveLength(1);
    expect(JSON.parse(sync[0]).name).toBe('b');
    resolve();
    await Promise.resolve();
    await Promise.resolve();
    auto.flush();
    expect(sync).toHaveLength(1);
    auto.stop();
  });

  it('writes nothing while disabled (another tab owns the project)', () => {
    const store = createEditorStore({ name: 'a' });
    const writes: string[] = [];
    let on = false;
    const auto = attachAutosave(store, { write: (t) => { writes.push(t); }, enabled: () => on, delay: 1 });
    store.getState().setName('b');
    auto.flush();
    expect(writes).toHaveLength(0);
    on = true;
    auto.saveNow();
    expect(writes).toHaveLength(1);
    auto.stop();
  });
});

describe('interrupted runs', () => {
  it('a run that never ended is reported once', () => {
    const ls = new Map<string, string>();
    const local = { getItem: (k: string) => ls.get(k) ?? null, setItem: (k: string, v: string) => { ls.set(k, v); }, removeItem: (k: string) => { ls.delete(k); } };
    const train = createTrainStore({ client: { startTraining: () => { throw new Error('unused'); }, exportTrainedModel: async () => { throw new Error('unused'); } } as never });
    attachRunMarker(train, local);
    train.setState({ status: 'starting' });
    train.setState({ status: 'running', progress: { epoch: 2, epochs: 5, batch: 1, batches: 10 } });
    expect(JSON.parse(ls.get(RUN_KEY)!)).toMatchObject({ epoch: 2, epochs: 5 });
    expect(takeInterruptedRun(local)).toMatchObject({ epoch: 2, epochs: 5 });
    expect(takeInterruptedRun(local)).toBeNull();
    train.setState({ status: 'running', progress: { epoch: 3, epochs: 5, batch: 1, batches: 10 } });
    train.setState({ status: 'done' });
    expect(ls.has(RUN_KEY)).toBe(false);
  });
});
