/**
 * No string ever becomes code or markup in Unroll's own source: no eval, new Function,
 * setTimeout/setInterval with a string, and no HTML written from strings (innerHTML, outerHTML,
 * insertAdjacentHTML, document.write, dangerouslySetInnerHTML) — React and the DOM's text APIs only,
 * so a name from a file stays text (SECURITY.md). The built bundle, libraries included, is checked
 * by e2e/csp.spec.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

function sources(dir: string): string[] {
  const out: string[] = [];
  const stack = [dir];
  while (stack.length) {
    const d = stack.pop()!;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'node_modules' && e.name !== 'assembly') stack.push(p);
      } else if (/\.(ts|tsx|mjs|js)$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) && !/\.spec\.ts$/.test(e.name)) out.push(p);
    }
  }
  return out;
}

/** The code without its comments (strings kept: a string holding "eval(" is not a call, but none is expected). */
const code = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');

const FORBIDDEN: readonly [string, RegExp][] = [
  ['eval', /(?<![\w$.])eval\s*\(|\(\s*0\s*,\s*eval\s*\)/],
  ['new Function / Function(…)', /(?<![\w$.])(new\s+)?Function\s*\(/],
  ['setTimeout/setInterval with a string', /\bset(Timeout|Interval)\s*\(\s*['"`]/],
  ['innerHTML / outerHTML', /\.(inner|outer)HTML\s*[+]?=/],
  ['insertAdjacentHTML', /insertAdjacentHTML\s*\(/],
  ['document.write', /document\.write(ln)?\s*\(/],
  ['dangerouslySetInnerHTML', /dangerouslySetInnerHTML/],
  ['javascript: URL', /['"`]javascript:/i],
];

describe('no string becomes code or markup', () => {
  const files = ['src', 'bin', 'templates'].flatMap((d) => sources(join(root, d)));

  it('checks the whole source tree', () => {
    expect(files.length).toBeGreaterThan(100);
  });

  it.each(FORBIDDEN)('no %s in src/, bin/ or templates/', (_, re) => {
    const hits = files.flatMap((f) =>
      code(readFileSync(f, 'utf8')).split('\n').flatMap((line, k) => (re.test(line) ? [`${relative(root, f)}:${k + 1}: ${line.trim().slice(0, 120)}`] : [])),
    );
    expect(hits).toEqual([]);
  });

  it('the patterns catch what they are for', () => {
    const caught = (s: string) => FORBIDDEN.filter(([, re]) => re.test(code(s))).map(([n]) => n);
    expect(caught('const f = new Function("a", "return a");')).toEqual(['new Function / Function(…)']);
    expect(caught('x = (0, eval)(s); y = eval(s)')).toEqual(['eval']);
    expect(caught('el.innerHTML = name')).toEqual(['innerHTML / outerHTML']);
    expect(caught('setTimeout("go()", 1)')).toEqual(['setTimeout/setInterval with a string']);
    expect(caught('<div dangerouslySetInnerHTML={{ __html: n }} />')).toEqual(['dangerouslySetInnerHTML']);
    expect(caught('// new Function is forbidden\nconst isFunction = (x) => typeof x === "function"; evaluate(x); o.eval(x)')).toEqual([]);
  });
});
