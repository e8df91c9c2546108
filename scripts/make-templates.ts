/**
 * Writes the template project files in templates/ from code, so they always agree with the core.
 * Each is fitted to its dataset (as the editor's "Fit model to data" does) and carries the result
 * it reaches (`expected`, measured with `npx unroll train templates/X.json --json`; re-measure with
 * `npm run bench:templates` after changing a template's model or settings).
 * Run: npx tsx scripts/make-templates.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chain, nodeByName, type LayerSpec } from '../src/core/build.ts';
import { addNode, connect } from '../src/core/edit.ts';
import { inferGraph } from '../src/core/infer.ts';
import { bindDataset } from '../src/data/bind.ts';
import { namesGenerationDataset } from '../src/data/corpora/firstNames.ts';
import { makeSyntheticDataset } from '../src/data/synthetic.ts';
import type { Dataset } from '../src/data/tasks.ts';
import { newProject, serializeProject, type Expected, type Project } from '../src/core/project.ts';
import type { Graph, Params } from '../src/core/types.ts';

/** Puts graph `b` below graph `a` (ids renumbered), so two chains form one model. */
function below(a: Graph, b: Graph, dy: number): Graph {
  const offset = a.nodes.length;
  const idMap = new Map(b.nodes.map((n, k) => [n.id, `n${offset + k + 1}`]));
  return {
    nodes: [...a.nodes, ...b.nodes.map((n) => ({ ...n, id: idMap.get(n.id)!, position: { x: n.position.x, y: n.position.y + dy } }))],
    edges: [...a.edges, ...b.edges.map((e, k) => ({ ...e, id: `e${a.edges.length + k + 1}`, source: idMap.get(e.source)!, target: idMap.get(e.target)! }))],
  };
}

const perStep = (loss = 'sparse_categorical_crossentropy'): Params => ({ loss, expects: 'per_step' });
const perSequence = (loss: string): Params => ({ loss, expects: 'per_sequence' });
const softmax = (units: number): LayerSpec => ({ kind: 'Dense', params: { units, activation: 'softmax' } });
const timeDistributedSoftmax = (units: number): LayerSpec => ({ kind: 'TimeDistributed', params: { layer: { kind: 'Dense', params: { units, activation: 'softmax' } } } });

function encoderDecoder(): Graph {
  const enc = chain([
    { kind: 'Input', name: 'encoder_inputs', params: { shape: [null], dtype: 'int32' } },
    { kind: 'Embedding', name: 'encoder_embedding', params: { input_dim: 64, output_dim: 32, mask_zero: true } },
    { kind: 'LSTM', name: 'encoder', params: { units: 64, return_state: true } },
  ], { output: false });
  const dec = chain([
    { kind: 'Input', name: 'decoder_inputs', params: { shape: [null], dtype: 'int32' } },
    { kind: 'Embedding', name: 'decoder_embedding', params: { input_dim: 64, output_dim: 32, mask_zero: true } },
    { kind: 'LSTM', name: 'decoder', params: { units: 64, return_sequences: true } },
    { kind: 'Dense', name: 'next_token', params: { units: 64, activation: 'softmax' } },
    { kind: 'Output', name: 'output', params: perStep() },
  ]);
  let g = below(enc, dec, 260);
  const e = nodeByName(g, 'encoder').id, d = nodeByName(g, 'decoder').id;
  g = connect(g, { source: e, sourcePort: 'h', target: d, targetPort: 'h' });
  return connect(g, { source: e, sourcePort: 'c', target: d, targetPort: 'c' });
}

/** A digit's one-hot vector, through Dense(tanh), becomes the initial state of a SimpleRNN that spells it. */
function initialState(): Graph {
  const vec = chain([
    { kind: 'Input', name: 'digit', params: { shape: [10] } },
    { kind: 'Dense', name: 'to_state', params: { units: 32, activation: 'tanh' } },
  ], { output: false });
  const dec = chain([
    { kind: 'Input', name: 'previous_letters', params: { shape: [null], dtype: 'int32' } },
    { kind: 'Embedding', params: { input_dim: 16, output_dim: 8, mask_zero: true } },
    { kind: 'SimpleRNN', name: 'speller', params: { units: 32, return_sequences: true } },
    timeDistributedSoftmax(16),
  ], { output: perStep() });
  const g = below(vec, dec, 220);
  return connect(g, { source: nodeByName(g, 'to_state').id, sourcePort: 'output', target: nodeByName(g, 'speller').id, targetPort: 'h' });
}

/** The lesson's return_state LSTM tagging every step; its final h and c are model outputs without a loss. */
function returnState(): Graph {
  let g = chain([
    { kind: 'Input', params: { shape: [8, 4] } },
    { kind: 'LSTM', params: { units: 6, return_sequences: true, return_state: true } },
    timeDistributedSoftmax(5),
  ], { output: perStep() });
  const lstm = nodeByName(g, 'lstm');
  for (const [port, y] of [['h', 200], ['c', 340]] as const) {
    const r = addNode(g, { kind: 'Output', name: `final_${port}`, params: { loss: 'none', expects: 'any' }, position: { x: lstm.position.x + 260, y } });
    g = connect(r.graph, { source: lstm.id, sourcePort: port, target: r.node.id, targetPort: 'input' });
  }
  return g;
}

interface TemplateSpec {
  readonly file: string;
  readonly graph: Graph;
  readonly training: Partial<Project['training']>;
  readonly dataset: { id: string; options?: Record<string, unknown> };
  readonly expected: Expected;
}

const T = (s: Partial<Project['training']>): Partial<Project['training']> => ({ optimizer: 'adam', seed: 42, backend: 'auto', ...s });

const TEMPLATES: TemplateSpec[] = [
  {
    file: 'sentiment',
    graph: chain([
      { kind: 'Input', params: { shape: [null], dtype: 'int32' } },
      { kind: 'Embedding', params: { input_dim: 1000, output_dim: 2, mask_zero: true } },
      { kind: 'Bidirectional', params: { layer: { kind: 'LSTM', params: { units: 8 } }, merge_mode: 'concat' } },
      softmax(3),
    ], { output: perSequence('sparse_categorical_crossentropy') }),
    training: T({ learning_rate: 0.001, batch_size: 16, epochs: 5, metrics: ['accuracy'] }),
    dataset: { id: 'airline-sentiment' },
    expected: { metric: 'accuracy', at_least: 0.9, split: 'test', epochs: 5, seconds: 10 },
  },
  {
    file: 'lesson-simple-rnn',
    graph: chain([
      { kind: 'Input', params: { shape: [10, 2] } },
      { kind: 'SimpleRNN', params: { units: 32, activation: 'tanh' } },
      { kind: 'Dense', params: { units: 1 } },
    ], { output: perSequence('mean_squared_error') }),
    training: T({ learning_rate: 0.01, batch_size: 32, epochs: 20, metrics: [] }),
    dataset: { id: 'adding-10', options: { size: 3000 } },
    expected: { metric: 'loss', at_most: 0.02, split: 'test', epochs: 20, seconds: 20 },
  },
  {
    file: 'initial-state',
    graph: initialState(),
    training: T({ learning_rate: 0.01, batch_size: 32, epochs: 10, metrics: ['accuracy'] }),
    dataset: { id: 'digit-spelling' },
    expected: { metric: 'accuracy', at_least: 0.95, split: 'test', epochs: 10, seconds: 10 },
  },
  {
    file: 'stacked-rnn',
    graph: chain([
      { kind: 'Input', params: { shape: [32, 5] } },
      { kind: 'SimpleRNN', params: { units: 16, return_sequences: true } },
      { kind: 'SimpleRNN', params: { units: 8 } },
      softmax(2),
    ], { output: perSequence('sparse_categorical_crossentropy') }),
    training: T({ learning_rate: 0.01, batch_size: 32, epochs: 20, metrics: ['accuracy'] }),
    dataset: { id: 'marked-xor', options: { size: 3000 } },
    expected: { metric: 'accuracy', at_least: 0.9, split: 'test', epochs: 20, seconds: 30 },
  },
  {
    file: 'bidirectional-rnn',
    graph: chain([
      { kind: 'Input', params: { shape: [64, 7] } },
      { kind: 'Bidirectional', params: { layer: { kind: 'SimpleRNN', params: { units: 16, return_sequences: true } }, merge_mode: 'concat' } },
      timeDistributedSoftmax(9),
    ], { output: perStep() }),
    training: T({ learning_rate: 0.01, batch_size: 32, epochs: 5, metrics: ['accuracy'] }),
    dataset: { id: 'look-ahead' },
    expected: { metric: 'accuracy', at_least: 0.95, split: 'test', epochs: 5, seconds: 25 },
  },
  {
    file: 'lstm-stack',
    graph: chain([
      { kind: 'Input', params: { shape: [null, 12] } },
      { kind: 'LSTM', params: { units: 16, return_sequences: true } },
      { kind: 'LSTM', params: { units: 16 } },
      softmax(12),
    ], { output: perSequence('sparse_categorical_crossentropy') }),
    training: T({ learning_rate: 0.01, batch_size: 32, epochs: 12, metrics: ['accuracy'] }),
    dataset: { id: 'majority-symbol', options: { size: 4000 } },
    expected: { metric: 'accuracy', at_least: 0.7, split: 'test', epochs: 12, seconds: 40 },
  },
  {
    file: 'lstm-return-state',
    graph: returnState(),
    training: T({ learning_rate: 0.01, batch_size: 32, epochs: 15, metrics: ['accuracy'] }),
    dataset: { id: 'running-leader' },
    expected: { metric: 'accuracy', at_least: 0.9, split: 'test', epochs: 15, seconds: 15 },
  },
  {
    file: 'pos-tagger',
    graph: chain([
      { kind: 'Input', params: { shape: [null], dtype: 'int32' } },
      { kind: 'Embedding', params: { input_dim: 64, output_dim: 16, mask_zero: true } },
      { kind: 'Bidirectional', params: { layer: { kind: 'LSTM', params: { units: 16, return_sequences: true } }, merge_mode: 'concat' } },
      timeDistributedSoftmax(8),
    ], { output: perStep() }),
    training: T({ learning_rate: 0.01, batch_size: 32, epochs: 5, metrics: ['accuracy'] }),
    dataset: { id: 'toy-pos' },
    expected: { metric: 'accuracy', at_least: 0.95, split: 'test', epochs: 5, seconds: 15 },
  },
  {
    file: 'spell-digit',
    graph: chain([
      { kind: 'Input', params: { shape: [10] } },
      { kind: 'Dense', params: { units: 32, activation: 'relu' } },
      { kind: 'RepeatVector', params: { n: 6 } },
      { kind: 'LSTM', params: { units: 32, return_sequences: true } },
      timeDistributedSoftmax(28),
    ], { output: perStep() }),
    training: T({ learning_rate: 0.01, batch_size: 32, epochs: 10, metrics: ['accuracy'] }),
    dataset: { id: 'digit-spelling' },
    expected: { metric: 'accuracy', at_least: 0.95, split: 'test', epochs: 10, seconds: 10 },
  },
  {
    file: 'encoder-decoder',
    graph: encoderDecoder(),
    training: T({ learning_rate: 0.005, batch_size: 32, epochs: 10, metrics: ['accuracy'] }),
    dataset: { id: 'reverse' },
    expected: { metric: 'accuracy', at_least: 0.9, split: 'test', epochs: 10, seconds: 45 },
  },
  {
    file: 'name-generator',
    graph: chain([
      { kind: 'Input', params: { shape: [null], dtype: 'int32' } },
      { kind: 'Embedding', params: { input_dim: 64, output_dim: 16, mask_zero: true } },
      { kind: 'LSTM', params: { units: 64, return_sequences: true } },
      timeDistributedSoftmax(64),
    ], { output: perStep() }),
    training: T({ learning_rate: 0.01, batch_size: 64, epochs: 5, metrics: ['accuracy'] }),
    dataset: { id: 'first-names-generate' },
    expected: { metric: 'loss', at_most: 2.2, split: 'test', epochs: 5, seconds: 50 },
  },
  {
    file: 'adding-simple-rnn',
    graph: chain([
      { kind: 'Input', params: { shape: [null, 2] } },
      { kind: 'SimpleRNN', params: { units: 32 } },
      { kind: 'Dense', params: { units: 1 } },
    ], { output: perSequence('mean_squared_error') }),
    training: T({ learning_rate: 0.01, batch_size: 32, epochs: 8, metrics: [] }),
    dataset: { id: 'adding-100', options: { size: 10000 } },
    expected: { metric: 'loss', at_least: 0.15, split: 'test', epochs: 8, seconds: 25 },
  },
  {
    file: 'adding-lstm',
    graph: chain([
      { kind: 'Input', params: { shape: [null, 2] } },
      { kind: 'LSTM', params: { units: 32 } },
      { kind: 'Dense', params: { units: 1 } },
    ], { output: perSequence('mean_squared_error') }),
    training: T({ learning_rate: 0.01, batch_size: 32, epochs: 8, metrics: [] }),
    dataset: { id: 'adding-100', options: { size: 10000 } },
    expected: { metric: 'loss', at_most: 0.01, split: 'test', epochs: 8, seconds: 85 },
  },
  {
    file: 'forecast-gru',
    graph: chain([
      { kind: 'Input', params: { shape: [null, 1] } },
      { kind: 'GRU', params: { units: 32 } },
      { kind: 'Dense', params: { units: 1 } },
    ], { output: perSequence('mean_squared_error') }),
    training: T({ learning_rate: 0.005, batch_size: 32, epochs: 10, metrics: [] }),
    dataset: { id: 'noisy-sine' },
    expected: { metric: 'loss', at_most: 0.02, split: 'test', epochs: 10, seconds: 15 },
  },
];

/** The dataset a template is fitted to (built-in corpora are read from public/datasets/). */
export function templateDataset(id: string, options: Record<string, unknown> = {}): Dataset {
  if (id === 'first-names-generate') return namesGenerationDataset(JSON.parse(readFileSync(new URL('../public/datasets/first-names.json', import.meta.url), 'utf8')));
  return makeSyntheticDataset(id, { ...options, size: Math.min(Number(options.size ?? 200), 200) });
}

/** Every template's file name and text, fitted to its dataset and checked (no errors). */
export function buildTemplates(): { file: string; text: string; project: Project }[] {
  return TEMPLATES.map((t) => {
    // Fit each template to its dataset (vocabulary sizes, classes), as the editor's binding does.
    const b = bindDataset(t.graph, templateDataset(t.dataset.id, t.dataset.options));
    if (b.problems.length) throw new Error(`${t.file}: ${b.problems.map((p) => p.message).join('; ')}`);
    const project = newProject(b.graph, t.file, { training: t.training as Project['training'], dataset: { id: t.dataset.id, options: t.dataset.options ?? {} }, expected: t.expected });
    const errors = inferGraph(project.graph).issues.filter((i) => i.severity !== 'warning');
    if (errors.length) throw new Error(`${t.file}: ${errors.map((e) => e.message).join('; ')}`);
    return { file: `templates/${t.file}.json`, text: serializeProject(project), project };
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  for (const t of buildTemplates()) {
    writeFileSync(t.file, t.text);
    console.log(t.file);
  }
}
