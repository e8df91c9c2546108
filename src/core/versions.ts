/**
 * What a model means depends on the Keras that wrote it. This is the profile of each Keras family
 * whose meaning differs from today's Keras 3 (read from Keras's own source, each rule pinned by a
 * numpy-oracle test in src/tf/weights/files.test.ts):
 *
 * | rule | Keras 2.0–2.3, TF.js | tf.keras 2.4–2.15 | Keras 3.0–3.3 | Keras 3.4+ |
 * |---|---|---|---|---|
 * | `hard_sigmoid` | clip(0.2x + 0.5) | clip(0.2x + 0.5) | relu6(x + 3) / 6 | relu6(x + 3) / 6 |
 * | Add's output mask | AND of the masks present | same | none (Layer.__call__ handed merges no mask) | OR, when every input has one |
 * | Concatenate's output mask | AND (unmasked inputs count as all true) | same | none | OR (unmasked: all true) |
 * | Bidirectional(return_sequences), masked steps | previous output (no zero_output_for_mask) | zeros | zeros | zeros |
 * | RNN called with `initial_state` | masked | masked | not masked (a call with two tensor arguments gets no automatic mask) | not masked |
 *
 * Sources: tf-keras `_Merge.compute_mask` (AND); keras 3 `Merge.compute_mask` before and after
 * "Fix masking in merge layers" (#19685, first in 3.4.0); Keras 2.x multi-backend `K.rnn`
 * (output at a masked step = states[0]) and tf.keras `Bidirectional.force_zero_output_for_mask`;
 * keras 3 `Layer.__call__` "Populate mask argument(s)" (only when the call has one tensor argument;
 * the RNN's output still carries the input's mask). An RNN's output sequence keeps its input's mask
 * in every version.
 *
 * A graph keeps the meaning per node (parameter `keras_semantics` of the kinds these rules touch;
 * `hard_sigmoid_keras2` for the activation), so edits, undo, project files and the worker carry it.
 *
 *   const s = semanticsForVersion('2.2.4', { tfjs: false, keras3Style: false });   // SEMANTICS.keras2
 */

export type SemanticsId = 'keras3' | 'keras3.0' | 'tf.keras' | 'keras2';

export interface KerasSemantics {
  readonly id: SemanticsId;
  /** For the summary: "Keras 2.0–2.3 and TF.js". */
  readonly label: string;
  readonly hardSigmoid: 'clip' | 'relu6';
  /** Output mask of Add: 'and' of the masks present; 'none' ever; 'or' when every input is masked. */
  readonly mergeMask: 'and' | 'none' | 'or';
  /** Bidirectional returning sequences, at masked steps: the previous output, or zeros. */
  readonly bidirectionalMasked: 'hold' | 'zeros';
  /** Whether an RNN (or Bidirectional) called with initial_state gets its input's mask. */
  readonly initialStateMask: boolean;
}

export const SEMANTICS: { readonly [K in SemanticsId]: KerasSemantics } = {
  keras3: { id: 'keras3', label: 'Keras 3.4+', hardSigmoid: 'relu6', mergeMask: 'or', bidirectionalMasked: 'zeros', initialStateMask: false },
  'keras3.0': { id: 'keras3.0', label: 'Keras 3.0–3.3', hardSigmoid: 'relu6', mergeMask: 'none', bidirectionalMasked: 'zeros', initialStateMask: false },
  'tf.keras': { id: 'tf.keras', label: 'tf.keras 2.4–2.15', hardSigmoid: 'clip', mergeMask: 'and', bidirectionalMasked: 'zeros', initialStateMask: true },
  keras2: { id: 'keras2', label: 'Keras 2.0–2.3 and TF.js', hardSigmoid: 'clip', mergeMask: 'and', bidirectionalMasked: 'hold', initialStateMask: true },
};

export const SEMANTICS_IDS = Object.keys(SEMANTICS) as SemanticsId[];

/** The node parameter that holds a node's meaning. */
export const SEMANTICS_PARAM = 'keras_semantics';

/** A node's profile from its parameters (Keras 3.4+ unless the node says otherwise). */
export function nodeSemantics(params: { readonly [k: string]: unknown }): KerasSemantics {
  const v = params[SEMANTICS_PARAM];
  return typeof v === 'string' && v in SEMANTICS ? SEMANTICS[v as SemanticsId] : SEMANTICS.keras3;
}

/**
 * The profile of a file from the version it names (`keras_version` of a .keras metadata.json, an
 * h5 attribute, a to_json() or TF.js modelTopology): '2.1.6', '2.2.4-tf', '2.15.0', '3.3.3',
 * '3.6.0', 'tfjs-layers 4.22.0'. Without a version: TF.js files follow TF.js (Keras 2.0–2.3), Keras 2
 * style configs tf.keras, Keras 3 style configs (with `module` keys) Keras 3.4+.
 */
export function semanticsForVersion(version: string | undefined, hint: { readonly tfjs: boolean; readonly keras3Style: boolean }): KerasSemantics {
  const v = version?.trim();
  if (v) {
    if (v.startsWith('tfjs')) return SEMANTICS.keras2;
    const m = /^(\d+)\.(\d+)/.exec(v);
    if (m) {
      const major = Number(m[1]), minor = Number(m[2]);
      if (major <= 1) return SEMANTICS.keras2;
      if (major === 2) return minor <= 3 && !/-tf\b/.test(v) ? SEMANTICS.keras2 : SEMANTICS['tf.keras'];
      if (major === 3) return minor <= 3 ? SEMANTICS['keras3.0'] : SEMANTICS.keras3;
      return SEMANTICS.keras3;
    }
  }
  if (hint.tfjs) return SEMANTICS.keras2;
  return hint.keras3Style ? SEMANTICS.keras3 : SEMANTICS['tf.keras'];
}
