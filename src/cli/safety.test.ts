/**
 * The command line against careless and hostile input: `--columns` values that used to loop until
 * the process ran out of memory, a UTF-8 BOM, messages that would echo a 300,000-character value,
 * and ESC / C1 / bidi control characters in names that must not reach the terminal raw.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, MAX_MESSAGE, terminalText } from './main.ts';

const dir = mkdtempSync(join(tmpdir(), 'unroll-cli-safety-'));
const template = readFileSync(new URL('../../templates/sentiment.json', import.meta.url), 'utf8');
let n = 0;
const file = (text: string) => {
  const f = join(dir, `f${n++}.json`);
  writeFileSync(f, text);
  return f;
};

async function run(...argv: string[]) {
  const out: string[] = [], err: string[] = [];
  const code = await main(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** No raw C0 (other than \n, \t), C1 or bidi control characters. */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('unroll summary --columns', () => {
  it.each(['29', '0', '', '-Infinity', 'NaN', '1e9', '12abc', '-80'])('refuses %j with a usage message (exit 2)', async (v) => {
    const r = await run('summary', file(template), '--columns', v);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--columns must be a whole number of at least 40/);
  });

  it('accepts 40 and 200, before or after the file', async () => {
    const f = file(template);
    for (const args of [['summary', f, '--columns', '40'], ['summary', '--columns', '200', f]]) {
      const r = await run(...args);
      expect(r.code).toBe(0);
      expect(r.out).toContain('Total params: 2,755');
    }
  });
});

describe('files and messages', () => {
  it('a UTF-8 BOM is accepted (project, Keras and inputs files)', async () => {
    const r = await run('summary', file(`\ufeff${template}`));
    expect(r.code).toBe(0);
    expect(r.out).toContain('Total params: 2,755');
  });

  it('a huge offending value is cut in the message', async () => {
    const doc = JSON.parse(template);
    doc.graph.nodes[0].kind = 'X'.repeat(300_000);
    const r = await run('summary', file(JSON.stringify(doc)));
    expect(r.code).toBe(1);
    expect(r.err.split('\n').every((l) => l.length <= MAX_MESSAGE + 40)).toBe(true);
    expect(r.err).toContain('300,000 characters');
  });

  it('a huge unknown command is cut too', async () => {
    const r = await run('Z'.repeat(100_000));
    expect(r.code).toBe(2);
    expect(r.err.length).toBeLessThan(5000);
  });

  it('ESC, C1 and bidi controls in names reach the terminal as visible escapes', async () => {
    const doc = JSON.parse(template);
    doc.name = 'evil\u001b[31mRED\u001b]0;title\u0007\u009b2J\u202egnp.exe';
    const r = await run('summary', file(JSON.stringify(doc)));
    expect(r.code).toBe(0);
    expect(r.out).not.toMatch(RAW_CONTROL);
    expect(r.out).toContain('evil\\u001b[31mRED');
    // JSON output stays valid and means the same.
    const k = await run('export', 'keras', file(JSON.stringify(doc)));
    expect(k.out).not.toMatch(RAW_CONTROL);
    expect(JSON.parse(k.out).config.name).toBe(doc.name);
    expect(terminalText('a\tb\nc')).toBe('a\tb\nc');
  });
});
