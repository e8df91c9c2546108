import { describe, expect, it } from 'vitest';
import { mergeResults, parseResults, renderMarkdown, replaceBetweenMarkers, trainingLines, type Machine, type Results, type RunInfo, type StoredRow, type TrainRow } from './results.ts';
import { median, quantile, round } from './stats.ts';

const machine: Machine = { cpu: 'Test CPU', cores: 2, memory_gib: 24, os: 'Linux 6', node: '20.1.0' };
const run = (started: string): RunInfo => ({ started, seconds: 10, commit: 'abc1234', load: [0.5, 0.7], machine, ok: true });
const train = (model: string, where: TrainRow['where'], backend: string, path: TrainRow['path'], repeats: number[]): StoredRow => ({
  kind: 'train', bench: where === 'chromium' ? 'chromium' : 'train', model, where, backend, path, repeats, ms_per_batch: median(repeats), batches: 8, batch_size: 32,
});

describe('bench results', () => {
  it('median, quantile and rounding', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.95)).toBe(10);
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.5)).toBe(5);
    expect(round(123.456)).toBe('123');
    expect(round(12.345)).toBe('12.3');
    expect(round(0.01234)).toBe('0.012');
    expect(round(58)).toBe('58');
  });

  it('puts stock, fused and the PyTorch peer of a model side by side with their ratios', () => {
    const rows = [
      train('feasibility', 'node', 'wasm', 'stock', [120, 130, 125]),
      train('feasibility', 'node', 'wasm', 'fused', [25, 24, 26]),
      train('feasibility', 'node', 'cpu', 'stock', [800]),
      train('feasibility', 'python', 'cpu', 'pytorch', [20, 21, 22]),
    ];
    const lines = trainingLines(rows);
    expect(lines.map((l) => `${l.where}/${l.backend}`)).toEqual(['node/wasm', 'node/cpu']);
    expect(lines[0].speedup).toBeCloseTo(125 / 25);
    expect(lines[0].fusedVsPytorch).toBeCloseTo(25 / 21);
    expect(lines[0].stockVsPytorch).toBeCloseTo(125 / 21);
    expect(lines[1].speedup).toBeUndefined(); // no fused row: no ratio, never a made-up one
    expect(lines[1].stockVsPytorch).toBeCloseTo(800 / 21);
  });

  it('a partial run replaces only the files it ran', () => {
    const first = mergeResults(null, {
      machine, updated: 't1', runs: { core: run('2026-01-01T10:00:00Z'), train: run('2026-01-01T10:01:00Z') },
      rows: [{ kind: 'metric', bench: 'core', metric: 'core.x', value: 1, unit: 'ms' }, train('lesson', 'node', 'wasm', 'stock', [40])],
    });
    const second = mergeResults(first, { machine, updated: 't2', runs: { train: run('2026-01-02T10:00:00Z') }, rows: [train('lesson', 'node', 'wasm', 'stock', [30])] });
    expect(Object.keys(second.runs)).toEqual(['core', 'train']);
    expect(second.runs.train.started).toBe('2026-01-02T10:00:00Z');
    expect(second.rows.filter((r) => r.kind === 'train').map((r) => (r as TrainRow).ms_per_batch)).toEqual([30]);
    expect(second.rows.some((r) => r.kind === 'metric' && r.metric === 'core.x')).toBe(true);
    expect(parseResults(JSON.stringify(second))).toEqual(second);
    expect(parseResults('{"format":"other"}')).toBeNull();
    expect(parseResults('not json')).toBeNull();
  });

  it('renders the machine, the training table with target marks, and each file\'s metrics', () => {
    const r: Results = mergeResults(null, {
      machine, updated: 't', runs: { core: run('2026-01-01T10:00:00Z'), train: run('2026-01-01T10:01:00Z') },
      rows: [
        { kind: 'fact', bench: 'train', name: 'model.feasibility', value: 'Embedding → BiLSTM(32) → Dense(3)' },
        { kind: 'fact', bench: 'train', name: 'pytorch', value: '1.13' },
        train('feasibility', 'node', 'wasm', 'stock', [120, 130, 125]),
        train('feasibility', 'node', 'wasm', 'fused', [40, 41, 42]),
        train('feasibility', 'python', 'cpu', 'pytorch', [20]),
        { kind: 'metric', bench: 'core', metric: 'core.infer.2006_nodes.median_ms', value: 7.04, unit: 'ms', target: '< 20 ms', label: 'shape inference' },
      ],
    });
    const md = renderMarkdown(r);
    expect(md).toContain('Machine: Test CPU, 2 cores, 24 GiB, Linux 6, Node 20.1.0.');
    expect(md).toContain('| all | | | 20 (0.3 min) | |'); // the files' seconds added up
    expect(md).toContain('- pytorch: 1.13');
    expect(md).toContain('| feasibility | node | wasm | 125 (120–130) | 41 (40–42) | 3.0× ✗ | 20 | 6.3× | 2.0× ✗ |');
    expect(md).toContain('- **feasibility**: Embedding → BiLSTM(32) → Dense(3)');
    expect(md).toContain('| shape inference (`core.infer.2006_nodes.median_ms`) | 7.04 ms | < 20 ms |');
    expect(renderMarkdown(r, { heading: '###' })).toContain('#### Training speed');
  });

  it('replaces the README block between the markers only', () => {
    const doc = 'a\n<!-- bench:begin -->\nold\n<!-- bench:end -->\nb\n';
    expect(replaceBetweenMarkers(doc, 'new table\n')).toBe('a\n<!-- bench:begin -->\nnew table\n<!-- bench:end -->\nb\n');
    expect(replaceBetweenMarkers('no markers', 'x')).toBeNull();
  });
});

describe('training table order', () => {
  it('node before chromium, wasm before cpu before webgl, models in the order first reported', () => {
    const rows = [
      train('lesson', 'chromium', 'webgl', 'stock', [9]), train('lesson', 'chromium', 'wasm', 'stock', [5]),
      train('lesson', 'node', 'cpu', 'stock', [7]), train('feasibility', 'node', 'wasm', 'stock', [1]),
    ];
    expect(trainingLines(rows).map((l) => `${l.model}/${l.where}/${l.backend}`))
      .toEqual(['lesson/node/cpu', 'lesson/chromium/wasm', 'lesson/chromium/webgl', 'feasibility/node/wasm']);
  });
});
