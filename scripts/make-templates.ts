/**
 * Writes the template project files in templates/ from code, so they always agree with the core.
 * Run: npx tsx scripts/make-templates.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { chain, nodeByName } from '../src/core/build.ts';
import { connect } from '../src/core/edit.ts';
import { inferGraph } from '../src/core/infer.ts';
import { bindDataset } from '../src/data/bind.ts';
import { makeSyntheticDataset } from '../src/data/synthetic.ts';
import { BUILTIN_DATASETS } from '../src/data/builtin.ts';
import type { Dataset } from '../src/data/tasks.ts';
import { newProject, serializeProject, type Project } from '../src/core/project.ts';
import type { Graph } from '../src/core/types.ts';

function encoderDecoder(): Graph {
  let g = chain([
    { kind: 'Input', name: 'encoder_inputs', params: { shape: [null], dtype: 'int32' } },
    { kind: 'Embedding', name: 'encoder_embedding', params: { input_dim: 64, output_dim: 32, mask_zero: true } },
    { kind: 'LSTM', name: 'encoder', params: { units: 64, return_state: true } },
  ], { output: false });
  const dec = chain([
    { kind: 'Input', name: 'decoder_inputs', params: { shape: [null], dtype: 'int32' } },
    { kind: 'Embedding', name: 'decoder_embedding', params: { input_dim: 64, output_dim: 32, mask_zero: true } },
    { kind: 'LSTM', name: 'decoder', params: { units: 64, return_sequences: true } },
    { kind: 'Dense', name: 'next_token', params: { units: 64, activation: 'softmax' } },
    { kind: 'Output', name: 'output', params: { loss: 'sparse_categorical_crossentropy', expects: 'per_step' } },
  ]);
  // Merge the two chains: renumber the decoder's ids.
  const offset = g.nodes.length;
  const idMap = new Map(dec.nodes.map((n, k) => [n.id, `n${offset + k + 1}`]));
  g = {
    nodes: [...g.nodes, ...dec.nodes.map((n) => ({ ...n, id: idMap.get(n.id)!, position: { x: n.position.x, y: n.position.y + 260 } }))],
    edges: [...g.edges, ...dec.edges.map((e, k) => ({ ...e, id: `e${g.edges.length + k + 1}`, source: idMap.get(e.source)!, target: idMap.get(e.target)! }))],
  };
  const enc = nodeByName(g, 'encoder').id, decoder = nodeByName(g, 'decoder').id;
  g = connect(g, { source: enc, sourcePort: 'h', target: decoder, targetPort: 'h' });
  g = connect(g, { source: enc, sourcePort: 'c', target: decoder, targetPort: 'c' });
  return g;
}

const templates: { file: string; project: Project }[] = [
  {
    file: 'sentiment',
    project: newProject(chain([
      { kind: 'Input', params: { shape: [null], dtype: 'int32' } },
      { kind: 'Embedding', params: { input_dim: 1000, output_dim: 2, mask_zero: true } },
      { kind: 'Bidirectional', params: { layer: { kind: 'LSTM', params: { units: 8 } }, merge_mode: 'concat' } },
      { kind: 'Dense', params: { units: 3, activation: 'softmax' } },
    ], { output: { loss: 'sparse_categorical_crossentropy', expects: 'per_sequence' } }), 'sentiment', {
      training: { optimizer: 'adam', learning_rate: 0.001, batch_size: 16, epochs: 5, seed: 42, backend: 'auto', metrics: ['accuracy'] },
      dataset: { id: 'airline-sentiment', options: {} },
    }),
  },
  {
    file: 'stacked-rnn',
    project: newProject(chain([
      { kind: 'Input', params: { shape: [32, 5] } },
      { kind: 'SimpleRNN', params: { units: 16, return_sequences: true } },
      { kind: 'SimpleRNN', params: { units: 8 } },
      { kind: 'Dense', params: { units: 1 } },
    ], { output: { loss: 'mean_squared_error', expects: 'per_sequence' } }), 'stacked-rnn'),
  },
  {
    file: 'pos-tagger',
    project: newProject(chain([
      { kind: 'Input', params: { shape: [null], dtype: 'int32' } },
      { kind: 'Embedding', params: { input_dim: 64, output_dim: 16, mask_zero: true } },
      { kind: 'Bidirectional', params: { layer: { kind: 'LSTM', params: { units: 16, return_sequences: true } }, merge_mode: 'concat' } },
      { kind: 'TimeDistributed', params: { layer: { kind: 'Dense', params: { units: 8, activation: 'softmax' } } } },
    ], { output: { loss: 'sparse_categorical_crossentropy', expects: 'per_step' } }), 'pos-tagger', { dataset: { id: 'toy-pos', options: {} } }),
  },
  {
    file: 'spell-digit',
    project: newProject(chain([
      { kind: 'Input', params: { shape: [10] } },
      { kind: 'Dense', params: { units: 32, activation: 'relu' } },
      { kind: 'RepeatVector', params: { n: 6 } },
      { kind: 'LSTM', params: { units: 32, return_sequences: true } },
      { kind: 'TimeDistributed', params: { layer: { kind: 'Dense', params: { units: 28, activation: 'softmax' } } } },
    ], { output: { loss: 'sparse_categorical_crossentropy', expects: 'per_step' } }), 'spell-digit', { dataset: { id: 'digit-spelling', options: {} } }),
  },
  { file: 'encoder-decoder', project: newProject(encoderDecoder(), 'encoder-decoder', { dataset: { id: 'reverse', options: {} } }) },
  {
    // A character-level language model: x = <start> + name, y = name + <end>; sample with a temperature.
    file: 'name-generator',
    project: newProject(chain([
      { kind: 'Input', params: { shape: [null], dtype: 'int32' } },
      { kind: 'Embedding', params: { input_dim: 64, output_dim: 16, mask_zero: true } },
      { kind: 'LSTM', params: { units: 64, return_sequences: true } },
      { kind: 'TimeDistributed', params: { layer: { kind: 'Dense', params: { units: 64, activation: 'softmax' } } } },
    ], { output: { loss: 'sparse_categorical_crossentropy', expects: 'per_step' } }), 'name-generator', {
      training: { optimizer: 'adam', learning_rate: 0.01, batch_size: 64, epochs: 5, seed: 42, backend: 'auto', metrics: ['accuracy'] },
      dataset: { id: 'first-names-generate', options: {} },
    }),
  },
  {
    file: 'adding-problem',
    project: newProject(chain([
      { kind: 'Input', params: { shape: [null, 2] } },
      { kind: 'LSTM', params: { units: 32 } },
      { kind: 'Dense', params: { units: 1 } },
    ], { output: { loss: 'mean_squared_error', expects: 'per_sequence' } }), 'adding-problem', {
      training: { optimizer: 'adam', learning_rate: 0.01, batch_size: 32, epochs: 10, seed: 42, backend: 'auto', metrics: [] },
      dataset: { id: 'adding-50', options: {} },
    }),
  },
  {
    file: 'forecast-gru',
    project: newProject(chain([
      { kind: 'Input', params: { shape: [null, 1] } },
      { kind: 'GRU', params: { units: 32 } },
      { kind: 'Dense', params: { units: 1 } },
    ], { output: { loss: 'mean_squared_error', expects: 'per_sequence' } }), 'forecast-gru', {
      training: { optimizer: 'adam', learning_rate: 0.005, batch_size: 32, epochs: 10, seed: 42, backend: 'auto', metrics: [] },
      dataset: { id: 'noisy-sine', options: {} },
    }),
  },
];

for (const t of templates) {
  // Fit each template to its dataset (vocabulary sizes, classes), as the editor's binding does.
  if (t.project.dataset) {
    const builtin = BUILTIN_DATASETS.find((d) => d.id === t.project.dataset!.id);
    const ds: Dataset = builtin
      ? await builtin.load({ loadText: async (f) => readFileSync(`public/datasets/${f}`, 'utf8'), loadJson: async (f) => JSON.parse(readFileSync(`public/datasets/${f}`, 'utf8')) })
      : makeSyntheticDataset(t.project.dataset.id, { size: 200 });
    const b = bindDataset(t.project.graph, ds);
    if (b.problems.length) throw new Error(`${t.file}: ${b.problems.map((p) => p.message).join('; ')}`);
    if (b.changes.length) console.log(`  ${t.file}: ${b.changes.join('; ')}`);
    t.project = newProject(b.graph, t.project.name, { training: t.project.training, dataset: t.project.dataset });
  }
  const inf = inferGraph(t.project.graph);
  const errors = inf.issues.filter((i) => i.severity !== 'warning');
  if (errors.length) throw new Error(`${t.file}: ${errors.map((e) => e.message).join('; ')}`);
  writeFileSync(`templates/${t.file}.json`, serializeProject(t.project));
  console.log(`templates/${t.file}.json`);
}

