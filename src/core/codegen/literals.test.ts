/**
 * Generated code cannot be broken out of: any string (quotes, backslashes, `"""`, NUL, ESC, line
 * breaks, U+2028/2029, bidi overrides, lone surrogates, astral characters) written with the
 * literal helpers evaluates back to itself in real Python and Node, comments stay comments,
 * identifiers are valid and unique, and hostile model and metric names go through the Python,
 * TF.js and SVG exports as inert text (checked by compiling, running and parsing what they give).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chain } from '../build.ts';
import { jsComment, jsIdent, jsNum, jsStr, pyComment, pyDocstring, pyIdent, pyNum, pyStr, xmlText, codeIdent } from './literals.ts';
import { toPython } from './python.ts';
import { toTfjs } from './tfjs.ts';
import { toSvg } from './svg.ts';

const dir = mkdtempSync(join(tmpdir(), 'unroll-literals-'));
let fileNo = 0;
const file = (ext: string, text: string) => {
  const f = join(dir, `f${fileNo++}.${ext}`);
  writeFileSync(f, text);
  return f;
};
const python = (src: string, args: string[] = []) => execFileSync('python3', [file('py', src), ...args], { encoding: 'utf8', maxBuffer: 64 << 20, stdio: 'pipe' });
const node = (src: string, args: string[] = []) => execFileSync(process.execPath, [file('mjs', src), ...args], { encoding: 'utf8', maxBuffer: 64 << 20, stdio: 'pipe' });

/** Pieces hostile to literals and comments in either language. */
const HOSTILE = [
  '"', "'", '\\', '"""', "'''", '\\"', '\n', '\r', '\r\n', '\t', '\u2028', '\u2029', '\u0085', '\u0000', '\u001b[31m', '\u007f',
  '\u202e', '\u2066', '\ufeff', '\ud800', '\udfff', '\ud83d', '\u{1F600}', '\u{E0001}', '*/', '/*', '//', '#', '${x}', '`',
  '</script>', '<svg onload=alert(1)>', '&amp;', ']]>', '); import os; os.system("id"); (', '"""; import os; os.system("echo pwned"); """',
  "'); process.exit(7); ('", '\u2028process.exit(7)//', '\\u2028', '\\x', '\\N{BULLET}', '{', '}', 'é', '中文', ' ',
];
const unit = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 3 }) },
);
const hostileString = fc.array(unit, { maxLength: 12 }).map((xs) => xs.join(''));
const sample = (n: number, seed: number) => [...HOSTILE, HOSTILE.join(''), ...fc.sample(hostileString, { numRuns: n, seed })];

describe('string literals round-trip in the real interpreters', () => {
  const strings = sample(3000, 9);

  it('pyStr: python3 evaluates every literal to the same code points (3,000+ strings)', () => {
    const src = `import json, sys\nvals = [\n${strings.map((s) => `    ${pyStr(s)},`).join('\n')}\n]\nsys.stdout.write(json.dumps(vals))\n`;
    expect(JSON.parse(python(src))).toEqual(strings);
    // the check can fail: a raw quote breaks Python
    expect(() => python('x = "a"b"\n')).toThrow();
  });

  it('pyDocstring: the docstring is exactly the text and nothing after it runs', () => {
    const src = `import ast, json, sys\nsrc = open(sys.argv[1], encoding="utf-8").read()\nout = []\nfor stmt in ast.parse(src).body:\n    out.append(ast.get_docstring(ast.Module(body=[stmt], type_ignores=[]), clean=False))\nsys.stdout.write(json.dumps(out))\n`;
    const mod = file('py', strings.map((s) => `${pyDocstring(s)}`).join('\n') + '\n');
    // one expression statement per docstring, each holding exactly its text
    expect(JSON.parse(python(src, [mod]))).toEqual(strings);
  });

  it('jsStr: node evaluates every literal to the same code units (3,000+ strings)', () => {
    const src = `const vals = [\n${strings.map((s) => `  ${jsStr(s)},`).join('\n')}\n];\nprocess.stdout.write(JSON.stringify(vals));\n`;
    expect(JSON.parse(node(src))).toEqual(strings);
    expect(() => node("const x = 'a'b';\n")).toThrow();
  });

  it('comments stay comments: a # / // / block comment holding any string runs nothing', () => {
    const py = strings.map((s, k) => `# ${pyComment(s)}\nvals.append(${k})`).join('\n');
    const outPy = python(`import json, sys\nvals = []\n${py}\nsys.stdout.write(json.dumps(vals))\n`);
    expect(JSON.parse(outPy)).toEqual(strings.map((_, k) => k));
    const js = strings.map((s, k) => `// ${jsComment(s)}\nvals.push(${k}); /* ${jsComment(s)} */`).join('\n');
    const outJs = node(`const vals = [];\n${js}\nprocess.stdout.write(JSON.stringify(vals));\n`);
    expect(JSON.parse(outJs)).toEqual(strings.map((_, k) => k));
    // the check can fail: a raw U+2028 ends a // comment
    expect(() => node('// a\u2028 b c\n')).toThrow();
  });

  it('numbers, non-finite ones included', () => {
    const nums = [0, -0, 1.5, -2, 1e-7, 1e21, 5e-324, Number.MAX_VALUE, NaN, Infinity, -Infinity];
    const out = python(`import json, sys, math\nvals = [${nums.map(pyNum).join(', ')}]\nsys.stdout.write(json.dumps([repr(v) for v in vals]))\n`);
    expect(JSON.parse(out)).toEqual(['0', '0', '1.5', '-2', '1e-07', '1e+21', '5e-324', '1.7976931348623157e+308', 'nan', 'inf', '-inf']);
    expect(JSON.parse(node(`process.stdout.write(JSON.stringify([${nums.map(jsNum).join(', ')}].map(String)))`))).toEqual(nums.map(String).map((s) => (s === '0' ? '0' : s)));
  });
});

describe('identifiers', () => {
  const names = [...sample(1500, 3), '', '1', 'class', 'None', 'import', 'lambda', 'match', 'await', 'yield', 'let', 'eval', 'keras', 'tf', 'model', '__proto__', 'constructor'];

  it('pyIdent: valid Python identifiers, no keyword, unique in their scope', () => {
    const used = new Set<string>();
    const ids = names.map((n) => pyIdent(n, used));
    expect(new Set(ids).size).toBe(ids.length);
    const out = python(`import json, keyword, sys\nids = json.loads(sys.stdin.read())\nsys.stdout.write(json.dumps([i.isidentifier() and not keyword.iskeyword(i) and not keyword.issoftkeyword(i) for i in ids]))\n`.replace('sys.stdin.read()', `open(sys.argv[1]).read()`), [file('json', JSON.stringify(ids))]);
    expect(JSON.parse(out).every(Boolean)).toBe(true);
    // and as assignment targets in one module
    expect(() => python(ids.map((id, k) => `${id} = ${k}`).join('\n') + '\n')).not.toThrow();
  });

  it('jsIdent and codeIdent: valid in a JavaScript module (strict), unique', () => {
    for (const f of [jsIdent, codeIdent]) {
      const used = new Set<string>();
      const ids = names.map((n) => f(n, used));
      expect(new Set(ids).size).toBe(ids.length);
      expect(() => node(ids.map((id, k) => `const ${id} = ${k};`).join('\n') + '\nexport {};\n')).not.toThrow();
    }
    const both = new Set<string>();
    const ids = names.map((n) => codeIdent(n, both));
    expect(() => python(ids.map((id, k) => `${id} = ${k}`).join('\n') + '\n')).not.toThrow();
  });

  it('keeps readable names readable', () => {
    const used = new Set<string>();
    expect(['lstm', 'lstm', 'dense-1', '2x', 'class', 'x'].map((n) => pyIdent(n, used))).toEqual(['lstm', 'lstm_', 'dense_1', 'l_2x', 'class_t', 'x_t']);
  });
});

describe('exports with hostile names', () => {
  const base = chain([
    { kind: 'Input', params: { shape: [null], dtype: 'int32' } },
    { kind: 'Embedding', params: { input_dim: 100, output_dim: 4 } },
    { kind: 'LSTM', params: { units: 3, return_state: true } },
    { kind: 'Dense', params: { units: 2, activation: 'softmax' } },
  ]);
  const names = sample(150, 11);

  it('Python: compiles; the docstring, model name and metrics are exactly the given strings', () => {
    const files = names.map((name) => {
      const r = toPython(base, { name, training: { metrics: [name, 'accuracy'] } });
      if (!r.ok) throw new Error(r.error);
      return file('py', r.code);
    });
    const reader = `import ast, json, sys
out = []
for f in sys.argv[1:]:
    tree = ast.parse(open(f, encoding="utf-8").read())
    doc = ast.get_docstring(tree, clean=False)
    name = metrics = None
    calls = 0
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            calls += 1
        # The training script names the model and its metrics in its settings block.
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            if node.targets[0].id == "MODEL_NAME":
                name = ast.literal_eval(node.value)
            if node.targets[0].id == "METRICS":
                metrics = ast.literal_eval(node.value)
    out.append([doc, name, metrics, calls])
sys.stdout.write(json.dumps(out))
`;
    const got = JSON.parse(python(reader, files)) as [string, string, string[], number][];
    const calls = got[0][3];
    got.forEach(([doc, name, metrics, c], k) => {
      expect(doc).toBe(`${names[k]}: train the Unroll model with Keras 3 (any backend) on the same data, split and settings.`);
      expect(name).toBe(names[k]);
      expect(metrics).toEqual([names[k], 'accuracy']);
      expect(c).toBe(calls); // no extra calls (os.system …) slipped in
    });
  });

  it('TF.js: parses and runs against a recording tf; the model name and metrics are exactly the given strings', () => {
    const stub = `const sym = () => ({});
const layer = () => ({ apply: (x) => [sym(), sym(), sym()] });
globalThis.__calls = [];
globalThis.__tf = new Proxy({}, { get: (_, k) => {
  if (k === 'input') return () => sym();
  if (k === 'layers') return new Proxy({}, { get: () => (cfg) => { globalThis.__calls.push(cfg.name); return { apply: () => { const o = [sym(), sym(), sym()]; return cfg.returnState ? o : o[0]; } }; } });
  if (k === 'model') return (cfg) => ({ summary() {}, compile(c) { globalThis.__compiled = c; }, name: cfg.name });
  if (k === 'train') return new Proxy({}, { get: () => (lr) => ({ lr }) });
} });
`;
    const mods = names.map((name) => {
      const r = toTfjs(base, { name, training: { metrics: [name] } });
      if (!r.ok) throw new Error(r.error);
      expect(r.code).toContain("import * as tf from '@tensorflow/tfjs';");
      return file('mjs', r.code.replace("import * as tf from '@tensorflow/tfjs';", 'const tf = globalThis.__tf;'));
    });
    const runner = `${stub}
const out = [];
for (const f of process.argv.slice(2)) {
  globalThis.__calls = [];
  const m = await import(f);
  out.push([m.model.name, globalThis.__compiled.metrics, globalThis.__calls.length, Object.keys(m)]);
}
process.stdout.write(JSON.stringify(out));
`;
    const got = JSON.parse(node(runner, mods.map((f) => pathToFileURL(f).href))) as [string, string[], number, string[]][];
    got.forEach(([name, metrics, layers, exports], k) => {
      expect(name).toBe(names[k]);
      expect(metrics).toEqual([names[k]]);
      expect(layers).toBe(3);
      expect(exports).toEqual(['model']);
    });
  });

  it('SVG: an XML parser reads every node name back as text (characters XML cannot hold become U+FFFD)', () => {
    const svgs = names.map((name) => toSvg({ ...base, nodes: base.nodes.map((n, k) => (k === 1 ? { ...n, name, id: name || 'x' } : n)) }));
    const reader = `import json, sys
import xml.etree.ElementTree as ET
ns = "{http://www.w3.org/2000/svg}"
out = []
for f in sys.argv[1:]:
    root = ET.parse(f).getroot()
    g = [e for e in root.iter(ns + "g") if e.get("class") == "node"][1]
    out.append([g.get("data-id"), g.findall(ns + "text")[0].text or "", len(list(root.iter(ns + "script")))])
sys.stdout.write(json.dumps(out))
`;
    const got = JSON.parse(python(reader, svgs.map((s) => file('svg', s)))) as [string, string, number][];
    const xmlSafe = (s: string) => s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
    got.forEach(([id, text, scripts], k) => {
      expect(text).toBe(xmlSafe(names[k]));
      expect(id).toBe(xmlSafe(names[k] || 'x'));
      expect(scripts).toBe(0);
    });
    expect(xmlText('<a b="c">&')).toBe('&lt;a b=&quot;c&quot;&gt;&amp;');
  });
});
