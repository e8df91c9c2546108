/**
 * The fuzzers (fuzz.ts) in `npm test`: thousands of mutated and random project files, Keras / TF.js
 * JSON, .keras / .h5 containers (damaged bytes and damaged structure), CSV files, command lines and
 * editor action sequences, from a fixed seed, in a child process with a 1 GB heap (running out of
 * memory fails the test) and 10 s a case (a hang fails it). Every case loads or gives a one-line
 * message; none throws; a refused file leaves the open graph as it was; undo restores the start.
 *
 * UNROLL_FUZZ_RUNS scales the case counts (run.ts), UNROLL_FUZZ_SEED picks another seed; the report
 * (cases, outcomes, the most frequent messages) is printed.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TargetReport } from './fuzz.ts';

const PYTHON = '/usr/bin/python3';
const here = import.meta.dirname;
const RUNS = Number(process.env.UNROLL_FUZZ_RUNS ?? 1);
const SEED = Number(process.env.UNROLL_FUZZ_SEED ?? 9);
/** Per target: fast-check stops drawing after this long (a loaded CI machine), the report says how many ran. */
const SECONDS = 75;

let reports: TargetReport[] = [];
let stderr = '';

function runChild(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['--max-old-space-size=1024', '--import', 'tsx', join(here, 'run.ts'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('close', (code) => resolve({ code, out, err }));
  });
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'unroll-fuzz-files-'));
  const py = spawnSync(PYTHON, [join(here, '../tf/weights/oracle/keras_files.py'), dir], { encoding: 'utf8' });
  if (py.status !== 0) throw new Error(`the model files come from ${PYTHON} with numpy and h5py (.ci/run installs them): ${py.stderr || py.error}`);
  const r = await runChild([dir, '--runs', String(RUNS), '--seconds', String(SECONDS), '--seed', String(SEED)]);
  stderr = r.err;
  if (r.code !== 0) throw new Error(`the fuzzing process ended with ${r.code} (out of memory?): ${r.err.slice(-2000)}`);
  reports = JSON.parse(r.out.trim().split('\n').pop()!);
  const rows = reports.map((t) => `${t.target.padEnd(10)} ${String(t.cases).padStart(5)} cases: ${t.loaded} loaded, ${t.refused} refused with a message, ${t.failures.length} failures (slowest ${Math.round(t.maxMs)} ms)`);
  const total = reports.reduce((a, t) => a + t.cases, 0);
  console.log(`fuzzing, seed ${SEED}: ${total} cases\n${rows.join('\n')}`);
}, 15 * 60_000);

const TARGETS = ['project', 'keras', 'container', 'structure', 'csv', 'cli', 'editor'] as const;

describe('fuzzing every way a file or an action gets in', () => {
  it.each(TARGETS)('%s: every case loads or gives a one-line message, none throws, hangs or runs out of memory', (name) => {
    const t = reports.find((r) => r.target === name);
    expect(t, `${name} ran (stderr: ${stderr.slice(-500)})`).toBeDefined();
    expect(t!.failures).toEqual([]);
    expect(t!.loaded + t!.refused).toBe(t!.cases);
    // Enough cases ran (the time limit only bounds a very slow machine).
    expect(t!.cases).toBeGreaterThanOrEqual(Math.min(100, Math.round(100 * RUNS)));
    // The fuzzers reach both sides: files that open and files that are refused.
    if (name === 'editor') expect(t!.loaded).toBe(t!.cases);
    else {
      expect(t!.loaded).toBeGreaterThan(0);
      expect(t!.refused).toBeGreaterThan(0);
    }
  });
});
