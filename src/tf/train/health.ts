/**
 * Is a run healthy? Checks made around the training loop, in words a learner can act on:
 *
 * - `trainingSizeProblem`: a model whose training memory (weights, gradients, Adam's moments,
 *   activations of one batch: core/size.ts) would not fit in a browser tab is refused before
 *   anything is allocated, with its size.
 * - `learningWarnings`: a classifier whose loss ends far above what guessing gives (ln C for C
 *   classes) or does not fall at all did not learn — the sentiment model at learning rate 10 ends
 *   at 6.15 where guessing gives 1.10. The run still ends as done, with the warning beside it.
 * - `fatalError`: errors after which this worker's TF.js cannot go on (a lost WebGL context, an
 *   aborted wasm module, memory exhausted); the client then starts a fresh worker.
 */
import type { GraphInference } from '../../core/infer.ts';
import { buildProblem, formatBytes, modelSize } from '../../core/size.ts';
import type { Graph } from '../../core/types.ts';
import type { Dataset } from '../../data/tasks.ts';
import type { LossName } from './losses.ts';

/** What one model's training may take in a tab (the wasm heap is 32-bit; tabs are killed well before the machine runs out). */
export const TRAINING_BUDGET_BYTES = 2 * 2 ** 30;

/** Why this model cannot be trained here at this batch size, or null. */
export function trainingSizeProblem(graph: Graph, inference: GraphInference, dataset: Dataset, batch: number, budget = TRAINING_BUDGET_BYTES): string | null {
  let longest = 0;
  for (const split of [dataset.train, dataset.val, dataset.test]) {
    for (const e of split) {
      const n = Array.isArray(e.x) ? e.x.length : 0;
      if (n > longest) longest = n;
    }
  }
  const size = modelSize(graph, inference, { batch, timeSteps: longest || 100 });
  const weights = buildProblem(size);
  if (weights) return weights;
  if (size.trainingBytes > budget) {
    return `This model is too large to train here: a batch of ${batch} needs about ${formatBytes(size.trainingBytes)} ` +
      `(${formatBytes(size.paramBytes)} of weights, with their gradients and Adam's moments, and ${formatBytes(size.activationBytes)} of activations), ` +
      `more than the ${formatBytes(budget)} a browser tab can give it. Lower the batch size, the units or the vocabulary, or train it with the Python script (Export → Python).`;
  }
  return null;
}

/** The loss of guessing every class equally: ln C (categorical), ln 2 (binary); null for regression. */
export function chanceLoss(loss: LossName, classes: number): number | null {
  if (loss === 'binary_crossentropy') return Math.log(2);
  if (loss === 'sparse_categorical_crossentropy' || loss === 'categorical_crossentropy') return classes > 1 ? Math.log(classes) : null;
  return null;
}

const fmt = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(2));

/** Warnings for a finished run that did not learn (classification heads), given its epoch losses. */
export function learningWarnings(epochLosses: readonly number[], loss: LossName, classes: number, run: { readonly learningRate: number; readonly optimizer: string }): string[] {
  const chance = chanceLoss(loss, classes);
  if (chance === null || !epochLosses.length) return [];
  const last = epochLosses[epochLosses.length - 1];
  const first = epochLosses[0];
  const { learningRate, optimizer } = run;
  const advice = `Try a lower learning rate (now ${learningRate}; try ${learningRate / 10})${optimizer === 'adam' ? '' : ', the adam optimizer'} or gradient clipping (clipnorm 1).`;
  if (last > 1.5 * chance + 0.05) {
    return [`The model did not learn: the loss ended at ${fmt(last)}, far above ${fmt(chance)}, what guessing gives for ${loss === 'binary_crossentropy' ? 2 : classes} classes (the weights probably diverged). ${advice}`];
  }
  if (epochLosses.length >= 3 && last >= first * 0.99 && last > 0.9 * chance) {
    return [`The loss did not fall over ${epochLosses.length} epochs (${fmt(first)} → ${fmt(last)}; guessing gives ${fmt(chance)}): the model is not learning. ${advice}`];
  }
  return [];
}

/** An error after which this worker's TF.js cannot be trusted: the client replaces the worker. */
export function fatalError(message: string, contextLost: boolean): boolean {
  return contextLost || /\bAborted\(|RuntimeError|out of memory|Out of memory|OOM|memory access out of bounds|CONTEXT_LOST|context lost/i.test(message);
}
