import { describe, expect, it } from 'vitest';
import { StringLookup } from './stringLookup.ts';

describe('StringLookup', () => {
  it('encodes the course labels with num_oov_indices = 0', () => {
    const s = new StringLookup({ vocabulary: ['positive', 'negative', 'neutral'], num_oov_indices: 0 });
    expect(s.lookupAll(['positive', 'negative', 'neutral'])).toEqual([0, 1, 2]);
    expect(s.get_vocabulary()).toEqual(['positive', 'negative', 'neutral']);
    expect(s.vocabulary_size()).toBe(3);
    expect(s.inverse(2)).toBe('neutral');
    expect(() => s.lookup('angry')).toThrow(
      'Unknown label "angry": it is not in the vocabulary ["positive", "negative", "neutral"] and num_oov_indices is 0',
    );
    expect(() => s.inverse(3)).toThrow('Index 3 is outside the vocabulary (0 to 2).');
  });

  it('maps unknown values to the OOV index 0 by default', () => {
    const s = new StringLookup({ vocabulary: ['a', 'b'] });
    expect(s.get_vocabulary()).toEqual(['[UNK]', 'a', 'b']);
    expect(s.lookupAll(['a', 'b', 'z'])).toEqual([1, 2, 0]);
    expect(s.inverse(0)).toBe('[UNK]');
    expect(s.inverse(99)).toBe('[UNK]');
  });

  it('puts the mask token at 0 and OOV at 1', () => {
    const s = new StringLookup({ vocabulary: ['a'], mask_token: '' });
    expect(s.get_vocabulary()).toEqual(['', '[UNK]', 'a']);
    expect(s.lookupAll(['', 'q', 'a'])).toEqual([0, 1, 2]);
    expect(s.inverse(0)).toBe('');
  });

  it('adapts by count descending, ties in descending order, capped by max_tokens', () => {
    const s = new StringLookup({ num_oov_indices: 0 }).adapt(['neutral', 'negative', 'positive', 'negative', 'neutral', 'negative']);
    expect(s.get_vocabulary()).toEqual(['negative', 'neutral', 'positive']);
    const capped = new StringLookup({ max_tokens: 3 }).adapt(['x', 'y', 'y', 'z']);
    expect(capped.get_vocabulary()).toEqual(['[UNK]', 'y', 'z']);
  });

  it('rejects bad vocabularies and options', () => {
    expect(() => new StringLookup({ vocabulary: ['a', 'a'] })).toThrow('"a" more than once');
    expect(() => new StringLookup({ vocabulary: ['[UNK]'] })).toThrow('OOV token');
    expect(() => new StringLookup({ num_oov_indices: 2 as 1 })).toThrow('num_oov_indices must be 0 or 1, got 2.');
  });
});
