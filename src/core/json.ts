/**
 * Reading JSON that someone else wrote (project files, Keras and TF.js files, the autosave):
 *
 * - a UTF-8 byte-order mark is accepted (editors on Windows write one);
 * - nesting deeper than MAX_JSON_DEPTH is refused with a message: later steps (schema checks,
 *   `JSON.stringify` when saving, `structuredClone` into IndexedDB) are recursive and would
 *   exhaust the call stack; no real file comes near (a project nests about 8 levels, a Keras
 *   config about 12);
 * - keys that name prototype slots (`__proto__`, `constructor`, `prototype`, `toString`, `valueOf`)
 *   are removed and reported: `JSON.parse` keeps them as plain data, but code that copies objects
 *   key by key, asks an object for its constructor (schema libraries do) or turns it into text or a
 *   number would act on them;
 * - messages quote at most a short, escaped excerpt of the offending text (`excerpt`).
 *
 * The walk is iterative, so any depth is checked without recursion.
 */

export const MAX_JSON_DEPTH = 100;

/**
 * Keys that are removed from parsed JSON wherever they occur: the prototype slots, and the two an
 * object is asked for when it is turned into text or a number (`{"toString": 1}` made String(),
 * Number() and template strings throw wherever a value from the file met one).
 */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype', 'toString', 'valueOf']);

export type JsonResult =
  | { ok: true; value: unknown; /** Paths of the keys removed (`graph.nodes[0].params.constructor`). */ removed: string[] }
  | { ok: false; error: string };

/** A short, printable excerpt of any text for a message: control characters escaped, long text cut. */
export function excerpt(s: unknown, max = 80): string {
  const t = typeof s === 'string' ? s : safeString(s);
  const cut = t.length > max ? `${t.slice(0, max)}… (${t.length.toLocaleString('en-US')} characters)` : t;
  return cut.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** String(v), or a description when v cannot be turned into text (an object whose toString is not a function). */
function safeString(v: unknown): string {
  try {
    return String(v);
  } catch {
    return Object.prototype.toString.call(v);
  }
}

function keyPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent ? `${parent}.${key}` : key;
}

/**
 * Checks an already-parsed value: depth, and forbidden keys (removed in place). Returns an error
 * message, or the removed keys' paths.
 */
export function sanitizeJson(value: unknown, opts: { remove?: boolean } = {}): { ok: true; removed: string[] } | { ok: false; error: string } {
  const remove = opts.remove ?? true;
  const removed: string[] = [];
  const stack: { v: unknown; depth: number; path: string }[] = [{ v: value, depth: 0, path: '' }];
  while (stack.length) {
    const { v, depth, path } = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= MAX_JSON_DEPTH) {
      return { ok: false, error: `${path || 'the document'}: nested more than ${MAX_JSON_DEPTH} levels deep` };
    }
    if (Array.isArray(v)) {
      for (let k = v.length - 1; k >= 0; k--) if (typeof v[k] === 'object' && v[k] !== null) stack.push({ v: v[k], depth: depth + 1, path: keyPath(path, k) });
      continue;
    }
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      if (FORBIDDEN_KEYS.has(k)) {
        if (remove) delete o[k];
        removed.push(keyPath(path, k));
        continue;
      }
      const x = o[k];
      if (typeof x === 'object' && x !== null) stack.push({ v: x, depth: depth + 1, path: keyPath(path, k) });
    }
  }
  return { ok: true, removed };
}

/** The text without a leading UTF-8 byte-order mark. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** `JSON.parse` of the text (a leading BOM allowed), with a short message when it is not JSON. */
export function parseJsonOnly(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(stripBom(text)) };
  } catch (e) {
    return { ok: false, error: `the text is not valid JSON (${excerpt((e as Error).message, 120)})` };
  }
}

/** Parses JSON text (a leading BOM allowed), then `sanitizeJson` (forbidden keys removed unless `remove: false`). */
export function parseJsonText(text: string, opts: { remove?: boolean } = {}): JsonResult {
  const p = parseJsonOnly(text);
  if (!p.ok) return p;
  const value = p.value;
  const s = sanitizeJson(value, opts);
  return s.ok ? { ok: true, value, removed: s.removed } : s;
}

/** Longest message a reader gives (a file's whole offending value is never echoed). */
export const MAX_MESSAGE = 1000;

/**
 * A message for the person at the screen, whatever values it quotes: one line, control
 * characters made visible, every quoted value ("…") or run without spaces longer than 80
 * characters cut, and the whole at most MAX_MESSAGE characters.
 */
export function messageText(m: string): string {
  let t = excerpt(String(m).replace(/\s*[\r\n]+\s*/g, ' '), Infinity);
  if (t.length <= MAX_MESSAGE && !/\S{200}/.test(t)) return t;
  t = t.replace(/"([^"]{80})[^"]+"/g, '"$1…"').replace(/(\S{80})\S{40,}/g, '$1…');
  return t.length > MAX_MESSAGE ? `${t.slice(0, MAX_MESSAGE - 1)}…` : t;
}
