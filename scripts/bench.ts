/**
 * Runs the benchmarks in bench/ and writes bench/results.json, bench/results.md and the README's
 * table (between `<!-- bench:begin -->` and `<!-- bench:end -->`).
 *
 *   npm run bench                 every bench/*.bench.ts
 *   npm run bench -- train        only files whose name contains "train" (the Node training rows)
 *   npm run bench -- core editor  several filters
 *   npm run bench -- --no-write   print only
 *
 * Each file runs in its own process (`tsx bench/<file>`), reports rows through bench/lib/report.ts
 * (appended as JSON lines to UNROLL_BENCH_ROWS), and exits non-zero on failure. A partial run
 * replaces the rows of the files it ran and keeps the others (each file's run records when, on
 * which commit and machine, and the load average around it).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem, type as osType } from 'node:os';
import { join } from 'node:path';
import { mergeResults, parseResults, renderMarkdown, replaceBetweenMarkers, type Machine, type Row, type RunInfo, type StoredRow } from '../bench/lib/results.ts';

const args = process.argv.slice(2);
const write = !args.includes('--no-write');
const filters = args.filter((a) => !a.startsWith('--'));
const files = readdirSync('bench').filter((f) => f.endsWith('.bench.ts') && (!filters.length || filters.some((p) => f.includes(p)))).sort();
if (!files.length) {
  console.error(`No bench/*.bench.ts matches ${filters.join(', ')}.`);
  process.exit(1);
}

function commit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { encoding: 'utf8' })
      .split('\n').filter((l) => l.trim() && !/ (bench\/results\.(json|md)|README\.md)$/.test(l));
    return dirty.length ? `${head}+dirty` : head;
  } catch {
    return 'unknown';
  }
}

const machine: Machine = {
  cpu: cpus()[0]?.model.replace(/\s+/g, ' ').trim() ?? 'unknown CPU',
  cores: cpus().length,
  memory_gib: Math.round(totalmem() / 2 ** 30),
  os: `${osType()} ${release()}`,
  node: process.versions.node,
};

const tmp = mkdtempSync(join(tmpdir(), 'unroll-bench-'));
const runId = `${Date.now()}-${process.pid}`;
const runs: Record<string, RunInfo> = {};
const rows: StoredRow[] = [];
const rev = commit();
for (const f of files) {
  const bench = f.replace(/\.bench\.ts$/, '');
  const rowsFile = join(tmp, `${bench}.jsonl`);
  console.log(`\n# bench/${f}`);
  const started = new Date();
  const load0 = loadavg()[0];
  const r = spawnSync('npx', ['tsx', `bench/${f}`], {
    stdio: 'inherit',
    env: { ...process.env, UNROLL_BENCH_ROWS: rowsFile, UNROLL_BENCH_RUN: runId },
  });
  const got: Row[] = existsSync(rowsFile) ? readFileSync(rowsFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Row) : [];
  const ok = r.status === 0;
  runs[bench] = {
    started: started.toISOString(), seconds: (Date.now() - started.getTime()) / 1000, commit: rev,
    load: [load0, loadavg()[0]], machine, ok,
    ...(ok ? {} : { error: r.error?.message ?? `exit ${r.status ?? r.signal}` }),
  };
  for (const row of got) rows.push({ ...row, bench });
}
rmSync(tmp, { recursive: true, force: true });

const failed = Object.entries(runs).filter(([, v]) => !v.ok).map(([k]) => k);
if (write) {
  const path = 'bench/results.json';
  const results = mergeResults(parseResults(existsSync(path) ? readFileSync(path, 'utf8') : null), { machine, updated: new Date().toISOString(), runs, rows });
  writeFileSync(path, JSON.stringify(results, null, 1) + '\n');
  writeFileSync('bench/results.md', renderMarkdown(results));
  const readme = readFileSync('README.md', 'utf8');
  const next = replaceBetweenMarkers(readme, renderMarkdown(results, { heading: '###' }));
  if (next !== null && next !== readme) writeFileSync('README.md', next);
  console.log(`\nWrote bench/results.json and bench/results.md${next !== null ? ' and the README table' : ''} (${rows.length} rows from ${files.length} files).`);
}
if (failed.length) console.error(`Failed: ${failed.join(', ')}`);
process.exit(failed.length ? 1 : 0);
