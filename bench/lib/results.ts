/**
 * bench/results.json and bench/results.md: the row types every bench file reports (report.ts),
 * merging a run into the previous results (a partial run, `npm run bench -- train`, replaces only
 * the rows of the files it ran), and the Markdown tables (training side by side with ratios, then
 * one table of metrics per bench file). Pure: no file or process access, so it is unit-tested.
 */

/** Training speed: the median over repeats of each repeat's median ms per batch. */
export interface TrainRow {
  readonly kind: 'train';
  /** feasibility | lesson | gru | simplernn | … (described by a `model.<name>` fact). */
  readonly model: string;
  /** The TF.js backend (wasm, cpu, webgl); `cpu` for PyTorch. */
  readonly backend: string;
  readonly where: 'node' | 'chromium' | 'python';
  /** Stock TF.js layers, Unroll's fused recurrent kernels, or the PyTorch peer. */
  readonly path: 'stock' | 'fused' | 'pytorch';
  readonly ms_per_batch: number;
  /** Each repeat's median ms per batch (warm-up batches dropped). */
  readonly repeats: readonly number[];
  /** Measured batches per repeat. */
  readonly batches: number;
  readonly batch_size: number;
  /** Threads the engine used, where it can use several (PyTorch). */
  readonly threads?: number;
  readonly note?: string;
}

export interface MetricRow {
  readonly kind: 'metric';
  readonly metric: string;
  readonly value: number;
  readonly unit: string;
  readonly target?: string;
  readonly label?: string;
  readonly note?: string;
}

export interface FactRow {
  readonly kind: 'fact';
  readonly name: string;
  readonly value: string;
}

export type Row = TrainRow | MetricRow | FactRow;
/** A row as stored: which bench file reported it. */
export type StoredRow = Row & { readonly bench: string };

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memory_gib: number;
  readonly os: string;
  readonly node: string;
}

export interface RunInfo {
  /** ISO time the file started. */
  readonly started: string;
  readonly seconds: number;
  /** `git describe`-like commit of the tree measured (`+dirty` when it had changes). */
  readonly commit: string;
  /** 1-minute load average before and after: high values mean other work shared the cores. */
  readonly load: readonly [number, number];
  readonly machine: Machine;
  readonly ok: boolean;
  readonly error?: string;
}

export interface Results {
  readonly format: 'unroll-bench';
  readonly version: 1;
  /** The machine of the latest run. */
  readonly machine: Machine;
  readonly updated: string;
  /** Per bench file (its name without `.bench.ts`). */
  readonly runs: Readonly<Record<string, RunInfo>>;
  readonly rows: readonly StoredRow[];
}

/** The previous results with the files of this run replaced (rows of files not run are kept). */
export function mergeResults(previous: Results | null, run: { machine: Machine; updated: string; runs: Record<string, RunInfo>; rows: StoredRow[] }): Results {
  const ran = new Set(Object.keys(run.runs));
  const keptRuns = Object.fromEntries(Object.entries(previous?.runs ?? {}).filter(([b]) => !ran.has(b)));
  const keptRows = (previous?.rows ?? []).filter((r) => !ran.has(r.bench));
  const runs = { ...keptRuns, ...run.runs };
  const order = Object.keys(runs).sort();
  const rows = [...keptRows, ...run.rows].sort((a, b) => order.indexOf(a.bench) - order.indexOf(b.bench));
  return { format: 'unroll-bench', version: 1, machine: run.machine, updated: run.updated, runs: Object.fromEntries(order.map((b) => [b, runs[b]])), rows };
}

/** Checks a parsed results.json (a missing or foreign file is treated as no previous results). */
export function parseResults(text: string | null): Results | null {
  if (!text) return null;
  try {
    const r = JSON.parse(text) as Results;
    return r.format === 'unroll-bench' && r.version === 1 && Array.isArray(r.rows) ? r : null;
  } catch {
    return null;
  }
}

const fmt = (v: number): string => {
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  return v.toFixed(a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3);
};
const ratio = (v: number): string => `${v >= 10 ? v.toFixed(0) : v.toFixed(1)}×`;
const msCell = (r: TrainRow | undefined): string => {
  if (!r) return '—';
  if (r.repeats.length < 2) return fmt(r.ms_per_batch);
  const lo = Math.min(...r.repeats), hi = Math.max(...r.repeats);
  return `${fmt(r.ms_per_batch)} (${fmt(lo)}–${fmt(hi)})`;
};

/** Speed-up and PyTorch targets of issue 12. */
export const TARGETS = { fusedSpeedup: 4, fusedVsPytorchWasm: 2 } as const;

export interface TrainingLine {
  readonly model: string;
  readonly where: string;
  readonly backend: string;
  readonly stock?: TrainRow;
  readonly fused?: TrainRow;
  readonly pytorch?: TrainRow;
  /** stock ÷ fused (how many times faster the fused path is). */
  readonly speedup?: number;
  readonly stockVsPytorch?: number;
  readonly fusedVsPytorch?: number;
}

/** One line per (model, where, backend) with stock and fused side by side and the ratios. */
export function trainingLines(rows: readonly Row[]): TrainingLine[] {
  const train = rows.filter((r): r is TrainRow => r.kind === 'train');
  const models = [...new Set(train.map((r) => r.model))];
  const lines: TrainingLine[] = [];
  for (const model of models) {
    const pytorch = train.find((r) => r.model === model && r.path === 'pytorch');
    const keys = [...new Set(train.filter((r) => r.model === model && r.path !== 'pytorch').map((r) => `${r.where}\u0000${r.backend}`))];
    for (const key of keys) {
      const [where, backend] = key.split('\u0000');
      const at = (path: TrainRow['path']) => train.find((r) => r.model === model && r.where === where && r.backend === backend && r.path === path);
      const stock = at('stock'), fused = at('fused');
      lines.push({
        model, where, backend, stock, fused, pytorch,
        ...(stock && fused ? { speedup: stock.ms_per_batch / fused.ms_per_batch } : {}),
        ...(stock && pytorch ? { stockVsPytorch: stock.ms_per_batch / pytorch.ms_per_batch } : {}),
        ...(fused && pytorch ? { fusedVsPytorch: fused.ms_per_batch / pytorch.ms_per_batch } : {}),
      });
    }
    if (!keys.length && pytorch) lines.push({ model, where: 'python', backend: 'cpu', pytorch });
  }
  const rank = (xs: readonly string[], x: string) => (xs.includes(x) ? xs.indexOf(x) : xs.length);
  const order = (l: TrainingLine) => [models.indexOf(l.model), rank(['node', 'chromium', 'python'], l.where), rank(['wasm', 'cpu', 'webgl'], l.backend)];
  return lines.sort((a, b) => {
    const x = order(a), y = order(b);
    return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
  });
}

function trainingTable(rows: readonly StoredRow[]): string[] {
  const lines = trainingLines(rows);
  if (!lines.length) return [];
  const out = [
    '## Training speed (ms per batch; median of repeats, range of the repeats in brackets)',
    '',
    `Targets (issue 12): fused ≥ ${TARGETS.fusedSpeedup}× faster than stock on the same backend; fused wasm within ${TARGETS.fusedVsPytorchWasm}× of PyTorch's CPU time.`,
    '',
    '| model | where | backend | stock TF.js | fused | stock ÷ fused | PyTorch CPU | stock ÷ PyTorch | fused ÷ PyTorch |',
    '|---|---|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const l of lines) {
    const speed = l.speedup === undefined ? '—' : `${ratio(l.speedup)} ${l.speedup >= TARGETS.fusedSpeedup ? '✓' : '✗'}`;
    const vs = l.fusedVsPytorch === undefined ? '—'
      : `${ratio(l.fusedVsPytorch)}${l.backend === 'wasm' ? ` ${l.fusedVsPytorch <= TARGETS.fusedVsPytorchWasm ? '✓' : '✗'}` : ''}`;
    out.push(`| ${l.model} | ${l.where} | ${l.backend} | ${msCell(l.stock)} | ${msCell(l.fused)} | ${speed} | ${msCell(l.pytorch)} | ${l.stockVsPytorch === undefined ? '—' : ratio(l.stockVsPytorch)} | ${vs} |`);
  }
  const facts = rows.filter((r): r is StoredRow & FactRow => r.kind === 'fact' && r.name.startsWith('model.'));
  if (facts.length) {
    out.push('');
    for (const f of facts) out.push(`- **${f.name.slice(6)}**: ${f.value}`);
  }
  const notes = [...new Set(rows.filter((r): r is StoredRow & TrainRow => r.kind === 'train' && !!r.note)
    .map((r) => `${r.path === 'pytorch' ? 'PyTorch' : `${r.where} ${r.backend} ${r.path}`} on ${r.model}: ${r.note}`))];
  for (const n of notes) out.push(`- ${n}`);
  return [...out, ''];
}

function metricTable(bench: string, rows: readonly MetricRow[]): string[] {
  if (!rows.length) return [];
  const out = [`## ${bench}`, '', '| metric | value | target |', '|---|---:|---|'];
  for (const r of rows) {
    const name = r.label ? `${r.label} (\`${r.metric}\`)` : `\`${r.metric}\``;
    out.push(`| ${name}${r.note ? ` — ${r.note}` : ''} | ${fmt(r.value)} ${r.unit} | ${r.target ?? ''} |`);
  }
  return [...out, ''];
}

export function describeMachine(m: Machine): string {
  return `${m.cpu}, ${m.cores} cores, ${m.memory_gib} GiB, ${m.os}, Node ${m.node}`;
}

/** The Markdown document (bench/results.md; also pasted into the README between markers). */
export function renderMarkdown(r: Results, opts: { heading?: string } = {}): string {
  const out: string[] = [];
  const head = opts.heading ?? '#';
  out.push(`${head} Benchmark results`, '');
  out.push(`Machine: ${describeMachine(r.machine)}.`);
  const facts = r.rows.filter((x): x is StoredRow & FactRow => x.kind === 'fact' && !x.name.startsWith('model.'));
  const seen = new Set<string>();
  for (const f of facts) {
    const line = `${f.name}: ${f.value}`;
    if (seen.has(line)) continue;
    seen.add(line);
    out.push(`- ${line}`);
  }
  out.push('', '| bench | measured | commit | seconds | load before → after |', '|---|---|---|---:|---|');
  for (const [b, run] of Object.entries(r.runs)) {
    const other = describeMachine(run.machine) !== describeMachine(r.machine) ? ` (on ${describeMachine(run.machine)})` : '';
    out.push(`| ${b}${run.ok ? '' : ' (failed)'} | ${run.started.slice(0, 16).replace('T', ' ')}${other} | ${run.commit} | ${run.seconds.toFixed(0)} | ${run.load[0].toFixed(2)} → ${run.load[1].toFixed(2)} |`);
  }
  const total = Object.values(r.runs).reduce((n, run) => n + run.seconds, 0);
  out.push(`| all | | | ${total.toFixed(0)} (${(total / 60).toFixed(1)} min) | |`);
  out.push('', 'The load average counts every process on the machine: above about 1 per core, other work shared the cores and the times are noisy.', '');
  const sub = head + '#';
  out.push(...trainingTable(r.rows).map((l) => (l.startsWith('## ') ? sub + l.slice(2) : l)));
  for (const bench of Object.keys(r.runs)) {
    const metrics = r.rows.filter((x): x is StoredRow & MetricRow => x.bench === bench && x.kind === 'metric');
    out.push(...metricTable(bench, metrics).map((l) => (l.startsWith('## ') ? sub + l.slice(2) : l)));
  }
  for (const [b, run] of Object.entries(r.runs)) if (!run.ok && run.error) out.push(`- ${b} failed: ${run.error}`);
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}

/** Replaces the text between `<!-- bench:begin -->` and `<!-- bench:end -->` (null when the markers are missing). */
export function replaceBetweenMarkers(doc: string, body: string): string | null {
  const begin = '<!-- bench:begin -->', end = '<!-- bench:end -->';
  const i = doc.indexOf(begin), j = doc.indexOf(end);
  if (i < 0 || j < i) return null;
  return `${doc.slice(0, i + begin.length)}\n${body.trimEnd()}\n${doc.slice(j)}`;
}
