/**
 * Evaluation arithmetic as plain TypeScript (no TF.js): the baselines a run is measured against,
 * the confusion matrix and per-class precision / recall / F1 with support, as scikit-learn's
 * `confusion_matrix` and `classification_report` compute them (zero where undefined, as its
 * `zero_division=0`).
 */
import type { Dataset, Example } from '../../data/tasks.ts';
import type { LossName } from './losses.ts';

/** What a model that learned nothing scores. Losses in the dataset's loss; accuracies in [0, 1]. */
export interface Baselines {
  /** Uniform guessing over K classes: accuracy 1/K, crossentropy ln K. */
  readonly chance?: { readonly accuracy: number; readonly loss: number };
  /**
   * Always the training set's most frequent class (accuracy on `split`), and the crossentropy of
   * predicting the training class frequencies (the best constant prediction).
   */
  readonly majority?: { readonly accuracy: number; readonly loss: number; readonly label: string };
  /** Regression: predicting the training mean (mse) or median (mae) for every value. */
  readonly mean?: { readonly loss: number };
  /** Which examples the baselines are computed on. */
  readonly split: 'val' | 'test';
}

/** The class ids of examples, one per sequence or one per real step. */
export function targetIds(examples: readonly Example[]): number[] {
  const out: number[] = [];
  for (const e of examples) {
    if (typeof e.y === 'number') out.push(e.y);
    else out.push(...e.y);
  }
  return out;
}

const EPS = 1e-7;

/** The baselines of a dataset for a loss, on the validation set (the test set when there is none). */
export function baselines(ds: Dataset, loss: LossName): Baselines {
  const split: 'val' | 'test' = ds.val.length ? 'val' : 'test';
  const evalSet = ds[split];
  if (loss === 'mean_squared_error' || loss === 'mean_absolute_error') {
    const train = ds.train.flatMap((e) => (typeof e.y === 'number' ? [e.y] : e.y));
    const ys = evalSet.flatMap((e) => (typeof e.y === 'number' ? [e.y] : e.y));
    if (!train.length || !ys.length) return { split };
    let c: number;
    if (loss === 'mean_squared_error') c = train.reduce((a, b) => a + b, 0) / train.length;
    else {
      const s = [...train].sort((a, b) => a - b);
      c = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
    const l = ys.reduce((a, y) => a + (loss === 'mean_squared_error' ? (y - c) ** 2 : Math.abs(y - c)), 0) / ys.length;
    return { split, mean: { loss: l } };
  }
  const k = loss === 'binary_crossentropy' ? 2 : ds.numClasses ?? (Math.max(0, ...targetIds(ds.train)) + 1);
  const trainIds = targetIds(ds.train);
  const evalIds = targetIds(evalSet);
  const counts = new Float64Array(k);
  for (const y of trainIds) counts[y]++;
  const n = trainIds.length;
  const top = counts.indexOf(Math.max(...counts));
  const prior = Array.from(counts, (c) => Math.min(Math.max(c / n, EPS), 1 - EPS));
  const majority = evalIds.length ? {
    accuracy: evalIds.filter((y) => y === top).length / evalIds.length,
    loss: evalIds.reduce((a, y) => a - Math.log(prior[y] ?? EPS), 0) / evalIds.length,
    label: ds.labels?.[top] ?? String(top),
  } : undefined;
  return { split, chance: { accuracy: 1 / k, loss: Math.log(k) }, ...(majority ? { majority } : {}) };
}

/** counts[t][p]: examples of true class t predicted as p. */
export function confusionMatrix(truth: readonly number[], predicted: readonly number[], classes: number): number[][] {
  const m = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  truth.forEach((t, i) => {
    const p = predicted[i];
    if (t >= 0 && t < classes && p >= 0 && p < classes) m[t][p]++;
  });
  return m;
}

export interface ClassReport {
  readonly label: string;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** True examples of the class. */
  readonly support: number;
}

export interface ClassificationReport {
  readonly classes: readonly ClassReport[];
  readonly accuracy: number;
  /** Unweighted mean over classes (scikit-learn's macro avg). */
  readonly macro: Omit<ClassReport, 'label'>;
  /** Mean weighted by support (weighted avg). */
  readonly weighted: Omit<ClassReport, 'label'>;
}

/** scikit-learn's classification_report from a confusion matrix (zero_division = 0). */
export function classificationReport(matrix: readonly (readonly number[])[], labels: readonly string[]): ClassificationReport {
  const k = matrix.length;
  const total = matrix.reduce((a, r) => a + r.reduce((x, y) => x + y, 0), 0);
  let right = 0;
  const classes: ClassReport[] = [];
  for (let c = 0; c < k; c++) {
    const tp = matrix[c][c];
    right += tp;
    const support = matrix[c].reduce((a, b) => a + b, 0);
    const predicted = matrix.reduce((a, r) => a + r[c], 0);
    const precision = predicted ? tp / predicted : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    classes.push({ label: labels[c] ?? String(c), precision, recall, f1, support });
  }
  // scikit-learn averages over the labels that occur in the truth or the predictions.
  const present = classes.filter((c, k2) => c.support > 0 || matrix.some((r) => r[k2] > 0));
  const avg = (w: (c: ClassReport) => number) => {
    const sw = present.reduce((a, c) => a + w(c), 0);
    const f = (key: 'precision' | 'recall' | 'f1') => (sw ? present.reduce((a, c) => a + w(c) * c[key], 0) / sw : 0);
    return { precision: f('precision'), recall: f('recall'), f1: f('f1'), support: total };
  };
  return { classes, accuracy: total ? right / total : 0, macro: avg(() => 1), weighted: avg((c) => c.support) };
}
