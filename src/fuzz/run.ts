/**
 * Runs the fuzzers (fuzz.ts) and prints their report as JSON on stdout:
 *
 *   node --max-old-space-size=1024 --import tsx src/fuzz/run.ts [CONTAINER_DIR] [--runs N] [--seconds S] [--seed K]
 *
 * CONTAINER_DIR holds the model files to mutate and their cases.json (fuzz.test.ts writes them with
 * the Python oracle, src/tf/weights/oracle/keras_files.py). `--runs` scales every target's case count (default: the counts below).
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { runFuzz, type ModelCase } from './fuzz.ts';

const args = process.argv.slice(2);
const flag = (name: string, d: number) => {
  const k = args.indexOf(name);
  return k >= 0 ? Number(args[k + 1]) : d;
};
const scale = flag('--runs', 1);
const dir = args.find((a, k) => !a.startsWith('--') && !args[k - 1]?.startsWith('--'));
const fixturesDir = new URL('../core/keras/fixtures/', import.meta.url);
const fixtures = readdirSync(fixturesDir).filter((f) => f.endsWith('.json')).map((f) => readFileSync(new URL(f, fixturesDir), 'utf8'));
/** The oracle's model files (cases.json), each as the set of files opened together. */
function modelCases(d: string): ModelCase[] {
  const cases = JSON.parse(readFileSync(join(d, 'cases.json'), 'utf8')) as { model: string; weights?: string; inputs: string }[];
  return cases.map((c) => {
    const names = [c.model, ...(c.weights ? [c.weights] : [])];
    // A TF.js model.json comes with the shards next to it.
    if (c.model.endsWith('model.json')) names.push(...readdirSync(join(d, dirname(c.model))).filter((f) => f.endsWith('.bin')).map((f) => join(dirname(c.model), f)));
    return {
      files: names.map((n) => ({ name: basename(n), bytes: new Uint8Array(readFileSync(join(d, n))) })),
      weightsFile: Boolean(c.weights),
      inputs: readFileSync(join(d, c.inputs), 'utf8'),
    };
  });
}
const containers = dir ? modelCases(dir) : [];
const RUNS = { project: 1500, keras: 1500, csv: 1500, editor: 300, cli: 200, container: 300, structure: 500 };
const reports = await runFuzz({
  runs: Object.fromEntries(Object.entries(RUNS).map(([k, v]) => [k, Math.round(v * scale)])),
  timeLimitMs: flag('--seconds', 60) * 1000,
  seed: flag('--seed', 9),
  fixtures,
  containers,
  tmpDir: mkdtempSync(join(tmpdir(), 'unroll-fuzz-')),
});
process.stdout.write(JSON.stringify(reports) + '\n');
process.exit(0);
