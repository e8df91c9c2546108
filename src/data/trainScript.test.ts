/**
 * The Python training script (src/core/codegen/python.ts) prepares the data exactly as Unroll does:
 * python3 imports the generated script (main() is not run: Keras is not needed for this) and its
 * csv_dataset() gives the same vocabulary and the same encoded examples in train, val and test as
 * src/data's datasetFromCsv on the same CSV, for plain and stratified splits and two seeds; the
 * settings block names the project's hyperparameters and seed; every template's script compiles.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toPython, type ScriptData } from '../core/codegen/python.ts';
import { TEMPLATES } from '../../templates/index.ts';
import { parseCsv } from './csv.ts';
import { datasetFromCsv } from './fromCsv.ts';
import { TWEETS_CSV } from './fixtures/tweetsSample.ts';

const PYTHON = '/usr/bin/python3';
const dir = mkdtempSync(join(tmpdir(), 'unroll-script-'));

function script(name: string, data?: ScriptData, training = TEMPLATES[0].project.training): string {
  const r = toPython(TEMPLATES[0].project.graph, { name, training, data });
  if (!r.ok) throw new Error(r.error);
  const path = join(dir, `${name}.py`);
  writeFileSync(path, r.code);
  return path;
}

describe('the training script', () => {
  it('reads the CSV like Unroll: same filters, split, vocabulary and ids', () => {
    writeFileSync(join(dir, 'tweets.csv'), TWEETS_CSV);
    const table = parseCsv(TWEETS_CSV);
    const mapping = { text: 'text', label: 'airline_sentiment', confidence: 'airline_sentiment_confidence', threshold: 0.5 };
    for (const [seed, stratify] of [[0, false], [3, true], [11, false]] as const) {
      const data: ScriptData = {
        kind: 'csv', file: join(dir, 'tweets.csv'), ...mapping, seed, stratify, fractions: { train: 0.6, val: 0.2, test: 0.2 }, max_tokens: 40, decode_entities: true,
      };
      const path = script(`s${seed}`, data);
      const out = execFileSync(PYTHON, ['-c', [
        'import importlib.util, json, sys',
        'spec = importlib.util.spec_from_file_location("s", sys.argv[1]); m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)',
        'd = m.csv_dataset(m.DATA)',
        'print(json.dumps({"vocabulary": d["inputs"]["vocabulary"], "labels": d["labels"], "train": d["train"], "val": d["val"], "test": d["test"]}))',
      ].join('\n'), path], { encoding: 'utf8' });
      const py = JSON.parse(out.trim().split('\n').pop()!);
      const { dataset } = datasetFromCsv(table, mapping, { seed, stratify, maxTokens: 40, decodeEntities: true });
      expect(py.vocabulary).toEqual(dataset.inputs.vocabulary);
      expect(py.labels).toEqual(dataset.labels);
      for (const part of ['train', 'val', 'test'] as const) expect([seed, part, py[part]]).toEqual([seed, part, dataset[part]]);
    }
  });

  it('names the project\'s hyperparameters and seed, and compiles for every template and for CSV data', () => {
    const training = { ...TEMPLATES[0].project.training, seed: 7, epochs: 3, batch_size: 24, optimizer: 'rmsprop' as const, learning_rate: 0.004, clipnorm: 1.5 };
    const path = script('settings', undefined, training);
    const got = JSON.parse(execFileSync(PYTHON, ['-c', [
      'import ast, json, sys',
      'names = {}',
      'for node in ast.parse(open(sys.argv[1]).read()).body:',
      '    if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name) and node.targets[0].id.isupper():',
      '        try: names[node.targets[0].id] = ast.literal_eval(node.value)',
      '        except ValueError: pass',
      'print(json.dumps(names))',
    ].join('\n'), path], { encoding: 'utf8' }));
    expect(got).toMatchObject({ SEED: 7, EPOCHS: 3, BATCH_SIZE: 24, OPTIMIZER: 'rmsprop', LEARNING_RATE: 0.004, CLIPPING: { clipnorm: 1.5 }, METRICS: ['accuracy'], LOSSES: ['sparse_categorical_crossentropy'] });
    const files = [path, script('csv', { kind: 'csv', file: 'tweets.csv', text: 'text', label: 'airline_sentiment', threshold: 0.5, seed: 0, stratify: false, fractions: { train: 0.6, val: 0.2, test: 0.2 }, max_tokens: 1000, decode_entities: true })];
    for (const t of TEMPLATES) {
      const r = toPython(t.project.graph, { name: t.id, training: t.project.training, data: t.project.dataset ? { kind: 'file', file: `${t.id}.data.json`, name: t.project.dataset.id, task: 'catalog' } : undefined });
      if (!r.ok) throw new Error(r.error);
      const p = join(dir, `t_${t.id.replace(/-/g, '_')}.py`);
      writeFileSync(p, r.code);
      files.push(p);
    }
    expect(() => execFileSync(PYTHON, ['-m', 'py_compile', ...files], { stdio: 'pipe' })).not.toThrow();
  });
});
