import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, type Io } from './main.ts';

function capture(): Io & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [], stderr: string[] = [];
  return { stdout, stderr, out: (s) => stdout.push(s), err: (s) => stderr.push(s) };
}

const dir = mkdtempSync(join(tmpdir(), 'unroll-cli-'));

describe('unroll summary', () => {
  it('prints the summary of a project file and exits 0', async () => {
    const io = capture();
    expect(await main(['summary', 'templates/sentiment.json'], io)).toBe(0);
    const text = io.stdout.join('\n');
    expect(text).toContain('│ bidirectional       │ (None, 16)        │        704 │ embedding[0][0],  │');
    expect(text).toContain(' Total params: 2,755 (10.76 KB)');
  });

  it('--sequential prints what the lesson\'s Sequential model prints', async () => {
    const io = capture();
    expect(await main(['summary', 'templates/sentiment.json', '--sequential'], io)).toBe(0);
    expect(io.stdout.join('\n')).toContain('│ bidirectional (Bidirectional)   │ (None, 16)             │           704 │');
  });

  it('--sequential refuses a model that is not a chain, saying why; export python --sequential writes keras.Sequential', async () => {
    const io = capture();
    expect(await main(['summary', 'templates/encoder-decoder.json', '--sequential'], io)).toBe(1);
    expect(io.stdout).toEqual([]);
    expect(io.stderr).toHaveLength(1);
    expect(io.stderr[0]).toMatch(/^templates\/encoder-decoder\.json: --sequential: the model is not a Sequential one: /);
    const py = capture();
    expect(await main(['export', 'python', 'templates/sentiment.json', '--sequential'], py)).toBe(0);
    const script = py.stdout.join('\n');
    expect(script).toContain('    return keras.Sequential([\n        keras.Input(shape=(None,), dtype="int32", name="input_layer"),\n');
    expect(script).not.toContain('keras.Model(inputs=');
    const bad = capture();
    expect(await main(['export', 'python', 'templates/encoder-decoder.json', '--sequential'], bad)).toBe(1);
    expect(bad.stderr[0]).toMatch(/cannot export: the model cannot be written as keras\.Sequential: /);
    expect(await main(['export', 'keras', 'templates/sentiment.json', '--sequential'], capture())).toBe(2);
  });

  it('exits 1 with a one-line reason for a bad file', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"format": "unroll-project", "version": 2, "graph": {"nodes": [], "edges": [{"id": "e", "source": "a", "sourcePort": "output", "target": "b", "targetPort": "input"}]}}');
    const io = capture();
    expect(await main(['summary', bad], io)).toBe(1);
    expect(io.stderr).toEqual([`${bad}: graph.edges[0].source: no node "a"`]);
  });

  it('names the field for a wrong value, and says when a file is not JSON or missing', async () => {
    const f = join(dir, 'wrong.json');
    writeFileSync(f, JSON.stringify({ format: 'unroll-project', version: 2, graph: { nodes: [{ id: 'a', kind: 'Dense', name: 'd', params: {}, position: { x: 'left', y: 0 } }], edges: [] } }));
    const io = capture();
    expect(await main(['summary', f], io)).toBe(1);
    expect(io.stderr[0]).toMatch(/graph\.nodes\[0\]\.position\.x: /);
    const t = join(dir, 'text.json');
    writeFileSync(t, 'hello');
    const io2 = capture();
    expect(await main(['summary', t], io2)).toBe(1);
    expect(io2.stderr[0]).toMatch(/not valid JSON/);
    const io3 = capture();
    expect(await main(['summary', join(dir, 'missing.json')], io3)).toBe(1);
    expect(io3.stderr[0]).toMatch(/cannot read .*ENOENT/);
  });

  it('reads version 1 files (positions as x/y) by migrating them', async () => {
    const f = join(dir, 'v1.json');
    writeFileSync(f, JSON.stringify({
      format: 'unroll-project', version: 1, name: 'old',
      graph: {
        nodes: [
          { id: 'i', kind: 'Input', name: 'input_layer', params: { shape: [10, 2] }, x: 0, y: 0 },
          { id: 'r', kind: 'SimpleRNN', name: 'simple_rnn', params: { units: 32 }, x: 200, y: 0 },
          { id: 'o', kind: 'Output', name: 'output', params: {}, x: 400, y: 0 },
        ],
        edges: [
          { id: 'e1', source: 'i', sourcePort: 'output', target: 'r', targetPort: 'input' },
          { id: 'e2', source: 'r', sourcePort: 'output', target: 'o', targetPort: 'input' },
        ],
      },
    }));
    const io = capture();
    expect(await main(['summary', f], io)).toBe(0);
    expect(io.stdout.join('\n')).toContain('│ simple_rnn (SimpleRNN)          │ (None, 32)             │         1,120 │');
  });

  it('reports graph errors after the summary and exits 1', async () => {
    const f = join(dir, 'err.json');
    writeFileSync(f, JSON.stringify({
      format: 'unroll-project', version: 2,
      graph: {
        nodes: [
          { id: 'i', kind: 'Input', name: 'input_layer', params: { shape: [10] }, position: { x: 0, y: 0 } },
          { id: 'r', kind: 'LSTM', name: 'lstm', params: {}, position: { x: 0, y: 0 } },
          { id: 'o', kind: 'Output', name: 'output', params: {}, position: { x: 0, y: 0 } },
        ],
        edges: [
          { id: 'e1', source: 'i', sourcePort: 'output', target: 'r', targetPort: 'input' },
          { id: 'e2', source: 'r', sourcePort: 'output', target: 'o', targetPort: 'input' },
        ],
      },
    }));
    const io = capture();
    expect(await main(['summary', f], io)).toBe(1);
    expect(io.stdout.join('\n')).toContain('0 (unbuilt)');
    expect(io.stderr.join('\n')).toContain('lstm: LSTM needs (batch, time, features); input_layer returns (None, 10).');
  });
});
