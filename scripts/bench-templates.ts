/**
 * `npm run bench:templates [-- ID…] [--no-readme] [--table]`: trains every template (or the ones named) to
 * its stated result with `npx unroll train templates/ID.json --json` — the app's own engine,
 * headless, on wasm — one at a time, and writes what it measured: bench/templates.json and the
 * table between the `templates:begin` / `templates:end` markers in README.md. A benchmark, not a
 * test: it reports each template's metric, epochs and seconds against its `expected`, and exits 1
 * when one misses its stated result (so a template is never left claiming what it does not do).
 * `--table` trains nothing: it writes the table again from bench/templates.json, each row judged
 * against the template's current `expected`.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { TEMPLATES, type Template } from '../templates/index.ts';
import { resultText } from '../src/ui/gallery/cards.ts';

export interface Measured {
  readonly id: string;
  readonly metric: 'accuracy' | 'loss';
  readonly value: number | null;
  readonly epochs: number;
  readonly seconds: number | null;
  readonly backend: string | null;
  readonly met: boolean;
  readonly error?: string;
}

/** The last JSON object of `unroll train --json` output that has a `test` field, and the epoch lines. */
export function parseTrainOutput(text: string): { epochs: Record<string, unknown>[]; final: { test: { loss: number; accuracy?: number }; seconds: number; backend?: string } | null } {
  const epochs: Record<string, unknown>[] = [];
  let final = null;
  for (const line of text.split('\n')) {
    const l = line.trim();
    if (!l.startsWith('{')) continue;
    try {
      const o = JSON.parse(l) as Record<string, unknown>;
      if ('test' in o) final = o as never;
      else if ('epoch' in o) epochs.push(o);
    } catch {
      // not a JSON line (a warning)
    }
  }
  return { epochs, final };
}

/** Whether a measured value meets a template's expected bound. */
export function meets(t: Template, value: number | null): boolean {
  const e = t.project.expected!;
  if (value === null || !Number.isFinite(value)) return false;
  return e.at_least !== undefined ? value >= e.at_least : value <= e.at_most!;
}

function train(t: Template): Promise<Measured> {
  const e = t.project.expected!;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/unroll.mjs', 'train', `templates/${t.id}.json`, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    child.stdout.on('data', (d) => { out += d; process.stdout.write(`  ${t.id}: ${String(d).trim().split('\n').at(-1)}\n`); });
    child.stderr.on('data', (d) => { err += d; });
    child.on('close', (code) => {
      const { epochs, final } = parseTrainOutput(out);
      const value = final ? (e.metric === 'accuracy' ? final.test.accuracy ?? null : final.test.loss) : null;
      resolve({
        id: t.id, metric: e.metric, value, epochs: epochs.length, seconds: final?.seconds ?? null, backend: final?.backend ?? null,
        met: code === 0 && meets(t, value),
        ...(code === 0 && final ? {} : { error: (err.trim().split('\n').at(-1) ?? `exit ${code}`).slice(0, 300) }),
      });
    });
  });
}

const fmt = (m: Measured) => (m.value === null ? '—' : m.metric === 'accuracy' ? m.value.toFixed(3) : m.value.toFixed(4));

/** The README table of measured results. */
export function table(rows: readonly Measured[], when: string): string {
  const lines = [
    `Measured by \`npm run bench:templates\` (${when}; \`npx unroll train\`, wasm backend, ${cpus().length} cores):`,
    '',
    '| template | task | stated result | measured | epochs | seconds |',
    '|---|---|---|---|---|---|',
  ];
  for (const m of rows) {
    const t = TEMPLATES.find((x) => x.id === m.id)!;
    const e = t.project.expected!;
    lines.push(`| ${t.title} (\`${t.id}\`) | ${t.pattern} | ${resultText(e)}, ~${e.seconds} s | ${m.met ? '' : '**missed** '}${m.metric} ${fmt(m)}${m.error ? ` (${m.error.replace(/\|/g, '\\|')})` : ''} | ${m.epochs} | ${m.seconds === null ? '—' : Math.round(m.seconds)} |`);
  }
  return lines.join('\n');
}

/** README.md with the text between the markers replaced. */
export function withTable(readme: string, text: string): string {
  const begin = '<!-- templates:begin -->', end = '<!-- templates:end -->';
  const i = readme.indexOf(begin), j = readme.indexOf(end);
  if (i < 0 || j < i) throw new Error(`README.md has no ${begin} … ${end} section`);
  return `${readme.slice(0, i + begin.length)}\n${text}\n${readme.slice(j)}`;
}

async function main() {
  const args = process.argv.slice(2);
  const ids = args.filter((a) => !a.startsWith('--'));
  const chosen = args.includes('--table') ? [] : ids.length ? TEMPLATES.filter((t) => ids.includes(t.id)) : TEMPLATES;
  if (ids.length && chosen.length !== ids.length) throw new Error(`unknown template among ${ids.join(', ')}; known: ${TEMPLATES.map((t) => t.id).join(', ')}`);
  const rows: Measured[] = [];
  let previous: Measured[] = [];
  try {
    previous = (JSON.parse(readFileSync('bench/templates.json', 'utf8')) as { rows: Measured[] }).rows;
  } catch {
    // first run
  }
  mkdirSync('bench', { recursive: true });
  // Written after every template, so a long run that is stopped keeps what it measured; a partial
  // run updates its rows and keeps the others.
  const write = () => {
    const merged = TEMPLATES.map((t) => rows.find((r) => r.id === t.id) ?? previous.find((r) => r.id === t.id)).filter((r): r is Measured => !!r)
      .map((r) => ({ ...r, met: !r.error && meets(TEMPLATES.find((t) => t.id === r.id)!, r.value) }));
    const when = new Date().toISOString().slice(0, 10);
    writeFileSync('bench/templates.json', JSON.stringify({ measured: when, cores: cpus().length, rows: merged }, null, 2) + '\n');
    if (!args.includes('--no-readme')) writeFileSync('README.md', withTable(readFileSync('README.md', 'utf8'), table(merged, when)));
    return merged;
  };
  for (const t of chosen) {
    console.log(`${t.id}: ${resultText(t.project.expected!)} (stated ~${t.project.expected!.seconds} s)`);
    const m = await train(t);
    console.log(`${t.id}: ${m.metric} ${fmt(m)} in ${m.seconds?.toFixed(0) ?? '—'} s — ${m.met ? 'meets' : 'MISSES'} its stated result${m.error ? ` (${m.error})` : ''}`);
    rows.push(m);
    write();
  }
  if (!chosen.length && write().some((r) => !r.met)) process.exitCode = 1;
  if (rows.some((r) => !r.met)) process.exitCode = 1;
}

if (process.argv[1]?.endsWith('bench-templates.ts')) await main();
