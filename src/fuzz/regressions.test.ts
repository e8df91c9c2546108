/**
 * Bugs the fuzzers (fuzz.ts) found, one test each, through the same entry points the app and the
 * command line use. Each failed before its fix, except the last, which pins a case the fuzzers
 * try often (a BOM) in a container. The editor's are through its store (the canvas's, inspector's
 * and palette's actions) with arguments the app itself does not send today.
 */
import { describe, expect, it } from 'vitest';
import { excerpt, messageText, MAX_MESSAGE } from '../core/json.ts';
import { loadAnyModelFile } from '../core/keras/cli.ts';
import { importKerasJson } from '../core/keras/import.ts';
import { parseCsv } from '../data/csv.ts';
import { parseCsvChunked } from '../data/csvStream.ts';
import { datasetFromCsv } from '../data/fromCsv.ts';
import { parseProject } from '../core/project.ts';
import { inferGraph } from '../core/infer.ts';
import { chain } from '../core/build.ts';
import { TEMPLATES } from '../../templates/index.ts';
import { validateMapping } from '../data/csvMapping.ts';
import { DataError } from '../data/errors.ts';
import { writeH5, type H5GroupSpec } from '../tf/weights/h5.ts';
import { zip } from '../tf/weights/zip.ts';
import { openModelFiles } from '../tf/weights/files.ts';
import { createEditorStore } from '../store/editorStore.ts';
import { serializeDoc } from '../store/persist.ts';
import { defaultExtras } from '../store/editorStore.ts';

const BIG = 'X'.repeat(100_000);

const oneShortLine = (m: string) => {
  expect(m).not.toMatch(/[\r\n\u2028\u2029]/);
  expect(m.length).toBeLessThanOrEqual(MAX_MESSAGE);
};

const seq = (layers: unknown[]) => JSON.stringify({ class_name: 'Sequential', config: { name: 'm', layers } });
const input = (name = 'in') => ({ class_name: 'InputLayer', config: { batch_shape: [null, 3, 2], name } });

function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('did not throw');
}

describe('messages quote what a file holds, never all of it', () => {
  it('excerpt of a value that cannot be turned into text (toString not a function) describes it instead of throwing', () => {
    expect(excerpt({ toString: 1, valueOf: 'x' })).toBe('[object Object]');
    expect(excerpt(Object.create(null))).toBe('[object Object]');
  });

  it('a Keras layer named with 100,000 characters is quoted cut (the message was 100,063 characters)', () => {
    const r = loadAnyModelFile(seq([input(BIG), { class_name: 'LSTM', config: { units: -1, name: BIG } }]), 'model.json');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    oneShortLine(r.error);
    expect(r.error).toContain('units must be at least 1');
    expect(r.error).toContain('…');
  });

  it('a Keras layer name with a line break stays on one line', () => {
    const r = importKerasJson(JSON.parse(seq([input(), { class_name: 'LSTM', config: { units: 'a\nb', name: 'x\ny' } }])));
    expect(r.ok).toBe(false);
    if (!r.ok) oneShortLine(r.error);
  });

  it('a CSV header of 100,000 characters with no data rows: the message lists the columns cut (it echoed the whole header)', () => {
    const e = thrown(() => parseCsv(`${BIG},b\n`));
    expect(e).toBeInstanceOf(DataError);
    oneShortLine(e.message);
    expect(e.message).toMatch(/^The file has a header row \(X{40}…, b\) but no data rows\.$/);
  });

  it('a quoted CSV column name with a line break is shown with ⏎, on one line', () => {
    const e = thrown(() => parseCsv('"a\nb",c\n'));
    expect(e.message).toBe('The file has a header row (a⏎b, c) but no data rows.');
  });

  it('a file with 500 columns: the message names the first few and counts the rest', () => {
    const cols = Array.from({ length: 500 }, (_, k) => `column_${k}`);
    const table = parseCsv(`${cols.join(',')}\n${cols.map(() => '1').join(',')}\n`);
    const e = thrown(() => validateMapping(table, { text: BIG, label: 'column_1' }));
    oneShortLine(e.message);
    expect(e.message).toContain('and 492 more');
  });

  it('messageText: one line, control characters visible, long quoted values cut, at most MAX_MESSAGE', () => {
    expect(messageText('a\r\n  b\u001b[31m')).toBe('a b\\u001b[31m');
    const m = messageText(`layer "${BIG}" and ${'y'.repeat(5000)}`);
    oneShortLine(m);
    expect(m.startsWith(`layer "${'X'.repeat(80)}…" and ${'y'.repeat(80)}…`)).toBe(true);
    expect(messageText(Array.from({ length: 2000 }, () => 'word').join(' ')).length).toBe(MAX_MESSAGE);
  });
});

describe('values and names that are object slots', () => {
  it('a project whose params hold {"toString": 1, "valueOf": "x"} is refused with the key (opening it threw in modelSize: "Cannot convert object to primitive value")', () => {
    const p = structuredClone(TEMPLATES[0].project) as { graph: { nodes: { kind: string; params: Record<string, unknown> }[] } };
    p.graph.nodes.find((n) => n.kind === 'Bidirectional')!.params.layer = { kind: 'LSTM', params: { units: { toString: 1, valueOf: 'x' } } };
    const r = parseProject(JSON.stringify(p));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/toString: this key is not allowed in a project file/);
  });

  it('a graph given such a value in code is inferred (and its size computed) without throwing', () => {
    const g = chain([{ kind: 'Input', params: { shape: [5, 3] } }, { kind: 'LSTM', params: { units: { toString: 1, valueOf: 'x' } as never } }]);
    expect(() => inferGraph(g)).not.toThrow();
  });

  it('a Keras file with such a key loads with the key ignored and a warning', () => {
    const r = importKerasJson(JSON.parse(seq([input(), { class_name: 'LSTM', config: { units: 4, name: 'l', toString: 1, valueOf: 'x' } }])));
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.warnings.join(' ')).toContain('config.layers[1].config.toString: key ignored');
  });

  const rows = (head: string) => [head, ...Array.from({ length: 30 }, (_, k) => (k % 3 ? `text number ${k},${k % 2 ? 'pos' : 'neg'}` : `short ${k}`))].join('\n');

  it('a CSV column named __proto__ keeps its cells, renamed __proto___1 (its cells were lost and building the dataset threw "raw.trim is not a function")', async () => {
    const t = parseCsv(rows('__proto__,label'));
    expect(t.columns).toEqual(['__proto___1', 'label']);
    expect(t.rows[1]).toEqual({ __proto___1: 'text number 1', label: 'pos' });
    expect((await parseCsvChunked(rows('__proto__,label'), { chunkSize: 64 })).rows).toEqual(t.rows);
    expect(() => datasetFromCsv(t, { text: '__proto___1', label: 'label', threshold: 0.5 } as never, { seed: 1 })).not.toThrow();
  });

  it('a short row has no "constructor" or "toString" cell (it read Object\'s: "function Object() { [native code] }" became a class)', async () => {
    const t = parseCsv(rows('toString,label,constructor'));
    expect(t.rows[0]).toEqual({ toString: 'short 0', label: '', constructor: '' });
    expect((await parseCsvChunked(rows('toString,label,constructor'), { chunkSize: 64 })).rows).toEqual(t.rows);
  });
});

describe('editor actions given what the app does not send', () => {
  const lstm = () => createEditorStore({ graph: chain([{ kind: 'Input', params: { shape: [5, 3] } }, { kind: 'LSTM', params: { units: 4 } }, { kind: 'Dense', params: { units: 1 } }]) });
  const reopens = (s: ReturnType<typeof lstm>) => parseProject(serializeDoc({ graph: s.getState().graph, name: 'x', extras: defaultExtras() })).ok;

  it('changeKind into a kind the layer does not swap with, or no kind at all, leaves the graph as it is (it threw "LSTM cannot be changed into Dense")', () => {
    const s = lstm();
    const before = s.getState().graph;
    const id = before.nodes[1].id;
    for (const kind of ['Dense', 'NoSuchKind', '__proto__']) expect(() => s.getState().changeKind(id, kind)).not.toThrow();
    expect(s.getState().graph).toBe(before);
    s.getState().changeKind(id, 'GRU');
    expect(s.getState().graph.nodes[1].kind).toBe('GRU');
  });

  it('paste at a pointer that is NaN or infinite pastes below the originals (the nodes were put at NaN: the autosave held null and did not open again)', () => {
    for (const at of [{ x: NaN, y: NaN }, { x: Infinity, y: -Infinity }, { x: 5, y: NaN }]) {
      const s = lstm();
      s.getState().select([s.getState().graph.nodes[1].id]);
      s.getState().copy();
      s.getState().paste(at);
      const pasted = s.getState().graph.nodes.at(-1)!;
      expect(pasted.kind).toBe('LSTM');
      expect(Number.isFinite(pasted.position.x) && Number.isFinite(pasted.position.y)).toBe(true);
      expect(reopens(s)).toBe(true);
    }
  });

  it('a paste whose shift overflows keeps the coordinate where it was; addNext at a NaN fallback adds at 0 (both gave ±Infinity or NaN)', () => {
    const s = lstm();
    s.getState().select([s.getState().graph.nodes[1].id]);
    s.getState().copy();
    s.getState().paste({ x: 1.7e308, y: 0 });
    s.getState().copy();
    s.getState().paste({ x: -1.7e308, y: 0 });
    s.getState().select([]);
    s.getState().addNext('Dense', { x: NaN, y: Infinity });
    for (const n of s.getState().graph.nodes) expect(Number.isFinite(n.position.x) && Number.isFinite(n.position.y), `${n.name} at ${n.position.x}, ${n.position.y}`).toBe(true);
    expect(reopens(s)).toBe(true);
  });

  it('a fix naming a wrapped layer a node does not wrap leaves it as it was (units: 4 became {"params": {"units": 4}}); setInnerKind on it does not throw', () => {
    const s = lstm();
    const before = s.getState().graph;
    const id = before.nodes[1].id;
    s.getState().applyFix({ label: 'x', nodeId: id, params: { units: 4 }, inner: 'units' });
    s.getState().applyFix({ label: 'x', nodeId: id, params: { units: 4 }, inner: 'layer' });
    expect(() => s.getState().setInnerKind(id, 'units', 'Dense')).not.toThrow();
    expect(s.getState().graph).toBe(before);
  });
});

describe('containers', () => {
  it('a .keras archive whose config.json starts with a UTF-8 BOM opens (TextDecoder drops it)', async () => {
    const config = { module: 'keras', class_name: 'Sequential', config: { name: 'm', layers: [input(), { class_name: 'SimpleRNN', config: { name: 'rnn', units: 4 } }] } };
    const vars = (...shapes: number[][]): H5GroupSpec => ({
      children: new Map(shapes.map((s, k) => [String(k), { data: new Float32Array(s.reduce((a, b) => a * b, 1)).fill(0.1), shape: s }])),
    });
    const weights = await writeH5({
      children: new Map([['layers', { children: new Map([['simple_rnn', { children: new Map([['cell', { children: new Map([['vars', vars([2, 4], [4, 4], [4])]]) }]]) }]]) }]]),
    });
    const bytes = await zip({ 'config.json': `\ufeff${JSON.stringify(config)}`, 'metadata.json': '\ufeff{"keras_version": "3.6.0"}', 'model.weights.h5': weights });
    const r = await openModelFiles([{ name: 'bom.keras', bytes }]);
    expect(r.ok ? '' : r.error).toBe('');
  });
});
