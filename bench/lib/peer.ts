/**
 * Node only: the PyTorch CPU peer (bench/peers/torch_rnn.py under Debian's /usr/bin/python3, which
 * has torch; the `python3` on PATH may not). It trains the same models on the same batches.
 * When Python or torch is missing the rows are absent and the reason is returned (never a number).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { epochBatches, type BenchModel } from './models.ts';
import { median, round } from './stats.ts';

export const PYTHON = process.env.UNROLL_PYTHON ?? '/usr/bin/python3';

/** Per model, the thread count that trained it fastest (the peer at its best), and the others. */
export type PeerResult =
  | { ok: true; torch: string; cores: number; results: { name: string; threads: number; repeats: number[]; others: { threads: number; ms: number }[] }[] }
  | { ok: false; error: string };

export function runPytorchPeer(models: readonly BenchModel[], repeats: number): PeerResult {
  if (!existsSync(PYTHON)) return { ok: false, error: `${PYTHON} not found` };
  const job = {
    repeats,
    threads: process.env.UNROLL_TORCH_THREADS ? process.env.UNROLL_TORCH_THREADS.split(',').map(Number) : null,
    models: models.map((m) => ({ name: m.name, ...m.torch, warmup: m.warmup, batches: epochBatches(m) })),
  };
  const r = spawnSync(PYTHON, ['bench/peers/torch_rnn.py'], { input: JSON.stringify(job), encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) return { ok: false, error: (r.stderr || r.error?.message || `exit ${r.status}`).trim().split('\n').slice(-3).join(' ') };
  try {
    const out = JSON.parse(r.stdout) as { torch: string; cores: number; results: { name: string; threads: number; repeats: number[] }[] };
    const results = models.map((m) => {
      const tries = out.results.filter((x) => x.name === m.name).map((x) => ({ ...x, ms: median(x.repeats) })).sort((a, b) => a.ms - b.ms);
      if (!tries.length) throw new Error(`no result for ${m.name}`);
      return { name: m.name, threads: tries[0].threads, repeats: tries[0].repeats, others: tries.slice(1).map((x) => ({ threads: x.threads, ms: x.ms })) };
    });
    return { ok: true, torch: out.torch, cores: out.cores, results };
  } catch (e) {
    return { ok: false, error: `unreadable output: ${(e as Error).message}` };
  }
}

/** "2 threads: 35.1 ms" — what the other thread counts gave. */
export function describeOthers(others: readonly { threads: number; ms: number }[]): string {
  return others.map((o) => `${o.threads} thread${o.threads === 1 ? '' : 's'}: ${round(o.ms)} ms`).join(', ');
}
