import { describe, expect, it } from 'vitest';
import { defaultLoss, languageModelExamples, nextTokenPair, TASK_KINDS, taskSignature, teacherForcingInput } from './tasks.ts';

describe('tasks', () => {
  it('default losses', () => {
    expect(defaultLoss('sequence-classification', { numClasses: 3 })).toBe('sparse_categorical_crossentropy');
    expect(defaultLoss('sequence-classification', { numClasses: 2 })).toBe('sparse_categorical_crossentropy');
    expect(defaultLoss('sequence-classification', { numClasses: 2, binarySigmoid: true })).toBe('binary_crossentropy');
    expect(defaultLoss('sequence-classification', { numClasses: 3, binarySigmoid: true })).toBe('sparse_categorical_crossentropy');
    expect(defaultLoss('sequence-regression')).toBe('mse');
    for (const k of ['sequence-labelling', 'seq2seq', 'language-model', 'vector-to-sequence'] as const) {
      expect(defaultLoss(k)).toBe('sparse_categorical_crossentropy');
    }
  });

  it('signatures give shapes, dtypes and the output layer', () => {
    const tokens = { dtype: 'int32' as const, vocabulary: ['', '[UNK]', 'a'] };
    expect(taskSignature('sequence-classification', { input: tokens, numClasses: 3 })).toEqual({
      kind: 'sequence-classification',
      pattern: 'many-to-one',
      inputs: [{ name: 'sequence', shape: [null, null], dtype: 'int32' }],
      target: { name: 'label', shape: [null], dtype: 'int32' },
      loss: 'sparse_categorical_crossentropy',
      outputActivation: 'softmax',
      outputUnits: 3,
    });
    const binary = taskSignature('sequence-classification', { input: tokens, numClasses: 2, binarySigmoid: true });
    expect([binary.outputUnits, binary.outputActivation, binary.target.dtype]).toEqual([1, 'sigmoid', 'float32']);
    const reg = taskSignature('sequence-regression', { input: { dtype: 'float32', featureSize: 2 }, horizon: 1 });
    expect(reg.inputs[0].shape).toEqual([null, null, 2]);
    expect([reg.target.shape, reg.loss, reg.outputActivation]).toEqual([[null, 1], 'mse', 'linear']);
    const s2s = taskSignature('seq2seq', { input: tokens, numClasses: 11 });
    expect(s2s.inputs.map((i) => i.name)).toEqual(['encoder_input', 'decoder_input']);
    expect(s2s.target.shape).toEqual([null, null]);
    const v2s = taskSignature('vector-to-sequence', { input: { dtype: 'float32', featureSize: 10 }, numClasses: 18 });
    expect(v2s.inputs[0]).toEqual({ name: 'vector', shape: [null, 10], dtype: 'float32' });
    expect(TASK_KINDS.map((k) => taskSignature(k, { input: tokens, numClasses: 4 }).pattern)).toEqual([
      'many-to-one',
      'many-to-many (aligned)',
      'many-to-many (encoder–decoder, teacher forcing)',
      'many-to-many (next token)',
      'many-to-one (forecasting)',
      'one-to-many',
    ]);
  });

  it('teacher forcing and next-token pairs', () => {
    expect(teacherForcingInput([7, 8, 2], 1)).toEqual([1, 7, 8]);
    expect(nextTokenPair([5, 6, 7])).toEqual({ x: [5, 6], y: [6, 7] });
    expect(() => nextTokenPair([5])).toThrow('at least 2 tokens');
    expect(languageModelExamples([1, 2, 3, 4, 5, 6, 7, 8], 3)).toEqual([
      { x: [1, 2, 3], y: [2, 3, 4] },
      { x: [4, 5, 6], y: [5, 6, 7] },
    ]);
  });
});
