/**
 * `unroll predict MODEL --input INPUTS.json [--weights FILE]`: runs a model file with its weights
 * on the given inputs and prints `{"outputs": [one nested array per model output]}` as JSON, in the
 * model's output order. MODEL is a `.keras`, a full-model `.h5`, a TF.js `model.json` (its shards
 * are read from next to it), or an architecture (project file, Keras or TF.js JSON) with
 * `--weights` (`.keras`, `.h5`, `.weights.h5`, or a TF.js model.json). INPUTS.json is
 * `{"inputs": [one nested array per model input, in the model's input order]}`.
 * Exit 1 with one line on stderr for a bad file, weights that do not fit, or inputs of the wrong
 * shape; 2 for bad usage. The engine is the app's (src/tf/predict.ts), on TF.js's cpu backend.
 */
import { readFile } from 'node:fs/promises';
import { readModelInputs } from '../core/inputs.ts';
import { parseJsonText } from '../core/json.ts';
import { openModelArgs } from '../tf/weights/cli.ts';

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

export const PREDICT_USAGE = 'predict MODEL --input INPUTS.json [--weights FILE]   run a model with its weights on the inputs; print {"outputs": [...]} as JSON';

export async function predictCommand(args: string[], io: Io): Promise<number> {
  const opts = new Map<string, string | undefined>();
  const rest: string[] = [];
  for (let k = 0; k < args.length; k++) {
    if (args[k] === '--input' || args[k] === '--weights') opts.set(args[k], args[++k]);
    else rest.push(args[k]);
  }
  const [model, extra] = rest;
  const inputPath = opts.get('--input');
  if (!model || extra !== undefined || !inputPath || (opts.has('--weights') && !opts.get('--weights'))) {
    io.err(`usage: unroll ${PREDICT_USAGE}`);
    return 2;
  }
  let inputText: string;
  try {
    inputText = await readFile(inputPath, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    io.err(err.code ? `cannot read ${err.path ?? inputPath}: ${err.code}` : err.message);
    return 1;
  }
  const m = await openModelArgs(model, opts.get('--weights'), io.err);
  if (!m) return 1;
  if (!m.weights) {
    io.err(`${model} holds no weights: give them with --weights FILE (.keras, .h5, .weights.h5 or a TF.js model.json)`);
    return 1;
  }
  const parsed = parseJsonText(inputText);
  if (!parsed.ok) {
    io.err(`${inputPath}: ${parsed.error}`);
    return 1;
  }
  const doc = parsed.value;
  const inputs = readModelInputs(m.graph, doc);
  if (!inputs.ok) {
    io.err(`${inputPath}: ${inputs.error}`);
    return 1;
  }
  const tf = await import('@tensorflow/tfjs');
  tf.env().set('PROD', true);
  await tf.setBackend('cpu');
  const { predictGraph } = await import('../tf/predict.ts');
  const r = await predictGraph(tf, m.graph, m.weights, inputs.inputs);
  if (!r.ok) {
    io.err(`${model}: ${r.error}`);
    return 1;
  }
  io.out(JSON.stringify({ outputs: r.outputs }));
  return 0;
}
