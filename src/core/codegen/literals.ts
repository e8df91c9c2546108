/**
 * Literals and names for generated code: every string that goes into generated Python,
 * JavaScript or SVG goes through one of these, so no layer name, model name, label or parameter
 * value can end a literal or a comment and run as code.
 *
 *   pyStr('a"b')          // "a\"b"            (a Python str literal, double quotes)
 *   pyDocstring(text)     // """…"""           (every " and \ escaped: no """ can close it early)
 *   jsStr("it's")         // 'it\'s'           (a JavaScript string literal, single quotes)
 *   pyNum(NaN)            // float("nan")      jsNum(Infinity) // Infinity
 *   pyComment(s) / jsComment(s)                 // text that stays inside a # or // comment
 *   pyIdent('1 lstm', used) // l_1_lstm       (a valid name, unique in `used`, which it extends)
 *   jsIdent('class', used)  // class_t
 *
 * What is escaped: the quote and the backslash; every control, format, separator (other than the
 * ASCII space), private-use, unassigned and lone-surrogate code point — this covers NUL, ESC,
 * line breaks, U+2028/U+2029 (line terminators in JavaScript, also inside `//` comments), the
 * bidirectional overrides of "Trojan Source", and BOMs. Printable non-ASCII text (é, 中, 😀)
 * stays readable. The output of `pyStr` evaluates in Python to exactly the input string (code
 * point by code point, lone surrogates included), and `jsStr`'s in JavaScript.
 */

/** Code points that never appear raw in generated code: C* (controls, format, surrogates, private, unassigned) and Z* but ' '. */
const UNSAFE = /^[\p{C}\p{Z}]$/u;

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

const PY_SHORT: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** The body of a Python string literal (no quotes) that escapes `quote` (a " or ') and every unsafe code point. */
function pyBody(s: string, quote: string): string {
  let out = '';
  for (const ch of s) {
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === ' ' || !UNSAFE.test(ch)) out += ch;
    else {
      const cp = ch.codePointAt(0)!;
      out += PY_SHORT[ch] ?? (cp < 0x100 ? `\\x${hex(cp, 2)}` : cp < 0x10000 ? `\\u${hex(cp, 4)}` : `\\U${hex(cp, 8)}`);
    }
  }
  return out;
}

/** A Python str literal in double quotes that evaluates to `s`. */
export function pyStr(s: string): string {
  return `"${pyBody(String(s), '"')}"`;
}

/** A one-line Python docstring `"""…"""` with `text` as its content; nothing inside can close it. */
export function pyDocstring(text: string): string {
  return `"""${pyBody(String(text), '"')}"""`;
}

const JS_SHORT: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** The body of a JavaScript string literal in single quotes. */
function jsBody(s: string): string {
  let out = '';
  for (const ch of s) {
    if (ch === '\\') out += '\\\\';
    else if (ch === "'") out += "\\'";
    else if (ch === ' ' || !UNSAFE.test(ch)) out += ch;
    else {
      const cp = ch.codePointAt(0)!;
      out += JS_SHORT[ch] ?? (cp < 0x100 ? `\\x${hex(cp, 2)}` : cp < 0x10000 ? `\\u${hex(cp, 4)}` : `\\u{${cp.toString(16)}}`);
    }
  }
  return out;
}

/** A JavaScript string literal in single quotes that evaluates to `s`. */
export function jsStr(s: string): string {
  return `'${jsBody(String(s))}'`;
}

/**
 * Text that stays inside a comment of either language (`# …` or `// …`, also `/* … *\/`): unsafe
 * code points are written as visible escapes (`\u2028`), and `*\/` is broken up. Not reversible;
 * for comments only.
 */
function commentText(s: string): string {
  let out = '';
  for (const ch of String(s)) {
    if (ch === ' ' || !UNSAFE.test(ch)) out += ch;
    else {
      const cp = ch.codePointAt(0)!;
      out += cp < 0x10000 ? `\\u${hex(cp, 4)}` : `\\u{${cp.toString(16)}}`;
    }
  }
  return out.replace(/\*\//g, '*\\/');
}

/** Text for a Python `#` comment. */
export const pyComment = commentText;
/** Text for a JavaScript `//` or block comment. */
export const jsComment = commentText;

/** A Python number literal: `float("nan")`, `float("inf")`, `-float("inf")` for the non-finite ones. */
export function pyNum(n: number): string {
  if (Number.isNaN(n)) return 'float("nan")';
  if (n === Infinity) return 'float("inf")';
  if (n === -Infinity) return '-float("inf")';
  return String(Number(n));
}

/** A JavaScript number literal (`NaN`, `Infinity`, `-Infinity` included). */
export function jsNum(n: number): string {
  return String(Number(n));
}

/** Python keywords (soft ones too) and the names generated scripts use themselves. */
export const PY_RESERVED: ReadonlySet<string> = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif',
  'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or',
  'pass', 'raise', 'return', 'try', 'while', 'with', 'yield', 'match', 'case', 'type', '_',
  // builtins and modules a script may need
  'print', 'len', 'range', 'list', 'dict', 'int', 'float', 'str', 'bool', 'object', 'open', 'input', 'id', 'sum', 'min',
  'max', 'abs', 'round', 'zip', 'map', 'filter', 'super', 'tuple', 'set', 'iter', 'next', 'exec', 'eval', 'compile',
  'globals', 'locals', 'vars', 'getattr', 'setattr', 'hasattr', 'isinstance', 'Exception',
  'keras', 'layers', 'np', 'numpy', 'tf', 'os', 'sys', 'json', 'math', 'model', 'history', 'x', 'y', 'n', 'rng',
]);

/** JavaScript reserved words (strict mode and modules) and the names generated modules use themselves. */
export const JS_RESERVED: ReadonlySet<string> = new Set([
  'await', 'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'enum',
  'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'implements', 'import', 'in', 'instanceof',
  'interface', 'let', 'new', 'null', 'package', 'private', 'protected', 'public', 'return', 'static', 'super', 'switch',
  'this', 'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with', 'yield', 'arguments', 'eval', 'undefined',
  'NaN', 'Infinity', 'globalThis', 'Math', 'Object', 'Array', 'JSON', 'Number', 'String', 'Symbol', 'Promise', 'Error',
  'console', 'window', 'self', 'document', 'tf', 'model', 'x', 'y', 'n', 'history',
]);

/**
 * A variable name derived from any string: characters other than ASCII letters, digits and `_`
 * become `_`; a leading digit gets `l_`; an empty result is `layer`; a reserved word gets `_t`;
 * then `_` is appended until the name is not in `used`. The name is added to `used`.
 */
function ident(name: string, reserved: ReadonlySet<string>, used?: Set<string>): string {
  let v = String(name).replace(/[^A-Za-z0-9_]/g, '_');
  if (v === '') v = 'layer';
  if (/^[0-9]/.test(v)) v = `l_${v}`;
  if (reserved.has(v)) v = `${v}_t`;
  if (used) {
    while (used.has(v) || reserved.has(v)) v = `${v}_`;
    used.add(v);
  }
  return v;
}

/** A valid Python variable name for `name`, unique in `used` (which it extends). */
export function pyIdent(name: string, used?: Set<string>): string {
  return ident(name, PY_RESERVED, used);
}

/** A valid JavaScript variable name for `name`, unique in `used` (which it extends). */
export function jsIdent(name: string, used?: Set<string>): string {
  return ident(name, JS_RESERVED, used);
}

/** Both sets: a name valid in Python and JavaScript alike (the generators use the same names in both). */
const BOTH: ReadonlySet<string> = new Set([...PY_RESERVED, ...JS_RESERVED]);

/** A name valid as a variable in both Python and JavaScript, unique in `used`. */
export function codeIdent(name: string, used?: Set<string>): string {
  return ident(name, BOTH, used);
}

/**
 * XML 1.0 text or attribute value: markup characters escaped, tab and line breaks as character
 * references (so a parser gives them back unchanged), characters XML forbids replaced by U+FFFD.
 */
export function xmlText(s: string): string {
  return String(s)
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;')
    .replace(/[\t\n\r]/g, (c) => `&#${c.charCodeAt(0)};`);
}
