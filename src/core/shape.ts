/**
 * Tensor shapes in Keras notation. A shape always includes the batch axis at index 0;
 * `null` is an unknown size (Keras `None`).
 *
 *   formatShape([null, 10, 32]) === '(None, 10, 32)'
 */
export type Dim = number | null;
export type Shape = readonly Dim[];

export type DType = 'float32' | 'int32';

/** What a port carries, as shape inference knows it. */
export interface TensorInfo {
  readonly shape: Shape;
  readonly dtype: DType;
  /** True when a Keras mask travels with the tensor (from `mask_zero` or Masking). */
  readonly masked: boolean;
}

export function formatDim(d: Dim): string {
  return d === null ? 'None' : String(d);
}

/**
 * Keras 3 summary notation: `(None, 8, 6)`. Keras joins the dims itself (summary_utils.format_shape),
 * so a shape of rank 1 prints as `(None)`, not Python's `(None,)`.
 */
const formatted = new WeakMap<Shape, string>();

export function formatShape(s: Shape): string {
  // Memoised per shape array: the Inferencer keeps an unchanged node's tensors (and their shapes),
  // and every summary and view of a large graph formats all of them on each edit.
  let t = formatted.get(s);
  if (t === undefined) formatted.set(s, (t = `(${s.map(formatDim).join(', ')})`));
  return t;
}

/** Several outputs, as Keras 3 prints them: `[(None, 8, 6), (None, 6), (None, 6)]`. */
export function formatShapes(shapes: readonly Shape[]): string {
  if (shapes.length === 1) return formatShape(shapes[0]);
  return `[${shapes.map(formatShape).join(', ')}]`;
}

export function rank(s: Shape): number {
  return s.length;
}

export function lastDim(s: Shape): Dim {
  return s.length ? s[s.length - 1] : null;
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Product of dims, or null when any is unknown. */
export function product(dims: readonly Dim[]): number | null {
  let p = 1;
  for (const d of dims) {
    if (d === null) return null;
    p *= d;
  }
  return p;
}

export function tensor(shape: Shape, dtype: DType = 'float32', masked = false): TensorInfo {
  return { shape, dtype, masked };
}
