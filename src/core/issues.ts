/**
 * The catalogue of problems Unroll reports, one function per code, in words a learner understands:
 * what was expected, what was found, and the fix when there is one. Layer definitions and graph
 * validation build issues only through these functions, so every message reads alike.
 */
import { formatShape, type Shape } from './shape.ts';
import type { LocalIssue, Source } from './layers/define.ts';
import { plural } from './plural.ts';
import type { FixAction, Params } from './types.ts';

function from(src: Source | undefined): string {
  return src ? src.node.name : 'the layer before';
}

/**
 * The one-click fix that sets the upstream layer's per-step output (its definition's
 * `sequenceOutput`: return_sequences, on the layer or the one it wraps) to `on`, when that is what
 * it has now the other way round.
 */
function sequenceFix(src: Source | undefined, on: boolean): { fix: string; action: FixAction } | undefined {
  // The definition comes with the source: importing the registry here would be an import cycle
  // (the layer files import this one).
  const node = src?.node;
  const hook = src?.def?.sequenceOutput;
  if (!node || !hook) return undefined;
  const holder = hook.inner ? (node.params[hook.inner] as { params?: Params } | undefined)?.params : node.params;
  if (holder?.[hook.param] === on || (!on && holder?.[hook.param] === undefined)) return undefined;
  const verb = on ? 'Turn on' : 'Turn off';
  const where = hook.inner ? ` in the layer wrapped by ${node.name}` : ` on ${node.name}`;
  return {
    fix: `${verb} ${hook.param}${where}.`,
    action: { label: `${verb} ${hook.param}${where}`, nodeId: node.id, params: { [hook.param]: on }, ...(hook.inner ? { inner: hook.inner } : {}) },
  };
}

export const issues = {
  paramInvalid: (param: string, message: string): LocalIssue => ({
    code: 'param-invalid', severity: 'error', param, message, fix: `Change ${param} in the inspector.`,
  }),

  inputMissing: (layer: string, port: string, label: string): LocalIssue => ({
    code: 'input-missing', severity: 'error', port,
    message: port === 'input' ? `${layer} has no input.` : `${layer} needs its ${label} input connected.`,
    fix: `Drag a wire from a layer's output to the ${label} handle of ${layer}.`,
  }),

  inputTwice: (layer: string, port: string, label: string, count: number): LocalIssue => ({
    code: 'input-twice', severity: 'error', port,
    message: `${count} wires go into the ${label} input of ${layer}; an input takes one tensor.`,
    fix: 'Delete the extra wires, or add a Concatenate or Add layer to combine them.',
  }),

  stateGroupPartial: (layer: string, kind: string, missing: readonly string[], all: readonly string[]): LocalIssue => ({
    code: 'state-partial', severity: 'error', port: missing[0],
    message: `${kind} takes its initial state as all of [${all.join(', ')}] or none; ${layer} is missing ${missing.join(', ')}.`,
    fix: `Connect ${missing.join(' and ')} too, or remove the other initial-state wires.`,
  }),

  stateShape: (layer: string, port: string, units: number, got: Shape, src: Source | undefined): LocalIssue => ({
    code: 'state-shape', severity: 'error', port,
    message: `The initial state ${port} of ${layer} must be (None, ${units}) (one vector of its ${plural(units, 'unit')}); ${from(src)} gives ${formatShape(got)}.`,
    fix: `Make the units of ${from(src)} equal ${units}, or change the units of ${layer}.`,
  }),

  rankMismatch: (layer: string, kind: string, expected: string, got: Shape, src: Source | undefined, port = 'input'): LocalIssue => {
    let fix: string | undefined;
    const wantsSequence = expected.includes('time');
    const seq = wantsSequence && got.length === 2 ? sequenceFix(src, true) : undefined;
    if (seq) fix = seq.fix;
    else if (wantsSequence && got.length === 2) {
      fix = `To feed one vector to every time step, put a RepeatVector between ${from(src)} and ${layer}.`;
    } else if (wantsSequence && got.length > 3) {
      fix = `Flatten or reshape the extra axes before ${layer}.`;
    }
    return {
      code: 'rank', severity: 'error', port,
      message: `${kind} needs ${expected}; ${from(src)} returns ${formatShape(got)}.`,
      fix,
      ...(seq ? { action: seq.action } : {}),
    };
  },

  intoFloatLayer: (layer: string, kind: string, src: Source | undefined): LocalIssue => ({
    code: 'dtype-int', severity: 'error', port: 'input',
    message: `${kind} computes on float vectors, but ${from(src)} gives integer token ids (int32).`,
    fix: `Put an Embedding layer between ${from(src)} and ${layer} to turn token ids into vectors.`,
  }),

  unknownDim: (layer: string, what: string, got: Shape, src: Source | undefined): LocalIssue => ({
    code: 'unknown-dim', severity: 'error', port: 'input',
    message: `${layer} needs ${what} to be known, but ${from(src)} returns ${formatShape(got)}.`,
    fix: 'Give the Input a fixed size on that axis.',
  }),

  mergeShapes: (layer: string, kind: string, detail: string): LocalIssue => ({
    code: 'merge-shapes', severity: 'error',
    message: `${kind} ${layer} cannot combine its inputs: ${detail}.`,
    fix: kind === 'Concatenate'
      ? 'Make all inputs agree on every axis except the one joined (set axis), or change their units.'
      : 'Make all inputs the same shape (same units and the same return_sequences setting).',
  }),

  maskDropped: (layer: string, kind: string): LocalIssue => ({
    code: 'mask-dropped', severity: 'warning',
    message: `${kind} does not support masking: the padding mask that reaches ${layer} stops here (Keras warns the same).`,
    fix: 'If later layers should skip padding, consume the mask before this layer (e.g. in an RNN).',
  }),

  outputExpects: (layer: string, expected: string, got: Shape, src: Source | undefined): LocalIssue => {
    const upstream = src?.node;
    let fix = `Change ${from(src)} so it returns ${expected}.`;
    let seq: ReturnType<typeof sequenceFix>;
    if (expected.includes('one prediction per sequence') && got.length === 3) {
      seq = sequenceFix(src, false);
      fix = seq ? `${seq.fix.slice(0, -1)} (many-to-one), or set this output to predict every time step.`
        : 'Turn off return_sequences on the last recurrent layer (many-to-one), or set this output to predict every time step.';
    } else if (expected.includes('every time step') && got.length === 2) {
      seq = sequenceFix(src, true);
      fix = seq?.fix ?? (upstream ? `Turn on return_sequences on the recurrent layer feeding ${upstream.name}.` : fix);
    }
    return {
      code: 'output-rank', severity: 'error', port: 'input',
      message: `${layer}'s loss expects ${expected}, but ${from(src)} returns ${formatShape(got)}.`,
      fix,
      ...(seq ? { action: seq.action } : {}),
    };
  },

  unknownKind: (kind: string): LocalIssue => ({
    code: 'unknown-kind', severity: 'error',
    message: `Unroll has no layer kind called ${kind}.`,
    fix: 'Delete the node, or replace it with a layer from the palette.',
  }),

  danglingEdge: (port: string, layer: string): LocalIssue => ({
    code: 'dangling-edge', severity: 'error', port,
    message: `A wire points at a port ${port} that ${layer} does not have.`,
    fix: 'Delete the wire.',
  }),

  duplicateName: (name: string): LocalIssue => ({
    code: 'name-duplicate', severity: 'error',
    message: `Two layers are called ${name}; Keras needs every layer name to be unique.`,
    fix: 'Rename one of them.',
  }),

  badName: (name: string): LocalIssue => ({
    code: 'name-invalid', severity: 'error',
    message: name ? `"${name}" is not a usable layer name.` : 'A layer needs a name.',
    fix: 'Rename the layer.',
  }),

  slashName: (name: string, safe: string): LocalIssue => ({
    code: 'name-slash', severity: 'warning',
    message: `"${name}" has a "/", which Keras 3 refuses in layer names (Keras 2 took it): Keras 3 files and code name it "${safe}".`,
    fix: 'Rename the layer without "/" to keep one name everywhere.',
  }),

  cycle: (layer: string): LocalIssue => ({
    code: 'cycle', severity: 'error',
    message: `${layer} is part of a loop: its output flows back into its own input. A model's graph must not loop (recurrence happens inside RNN layers).`,
    fix: 'Delete one of the wires that close the loop.',
  }),

  unusedInput: (layer: string): LocalIssue => ({
    code: 'input-unused', severity: 'warning',
    message: `${layer} feeds no layer: it stays one of the model's inputs (Keras keeps unused inputs), and the model ignores it.`,
    fix: 'Connect it to a layer, or delete it to drop the input.',
  }),

  unused: (layer: string): LocalIssue => ({
    code: 'unused', severity: 'warning',
    message: `${layer} does not lead to any Output, so it will not be part of the model.`,
    fix: 'Connect it on a path to an Output node, or delete it.',
  }),
};

export const graphIssues = {
  noInput: (): LocalIssue => ({
    code: 'no-input', severity: 'error',
    message: 'The model has no Input layer.',
    fix: 'Add an Input from the palette (Inputs group) and connect it to the first layer.',
  }),
  noOutput: (): LocalIssue => ({
    code: 'no-output', severity: 'error',
    message: 'The model has no Output: nothing says which tensor is the prediction and which loss to train with.',
    fix: 'Add an Output node from the palette and connect the last layer to it.',
  }),
  noLoss: (): LocalIssue => ({
    code: 'no-loss', severity: 'warning',
    message: 'No Output has a loss: the model can be called, but there is nothing to train it towards.',
    fix: 'Give the prediction\'s Output a loss (state outputs h and c usually have none).',
  }),
};
