import { describe, expect, it } from 'vitest';
import { asciiLower, DEFAULT_STRIP_REGEX, splitText, standardizeText, TextVectorization } from './textVectorization.ts';
import { compareCodePoints, sortVocabulary } from './vocabulary.ts';

describe('TextVectorization (Keras parity)', () => {
  it('pins vocabulary order and ids for the brief example (max_tokens = 6)', () => {
    const tv = new TextVectorization({ max_tokens: 6 });
    tv.adapt(['The cat sat.', 'the dog sat!', 'A cat & a dog']);
    // Every word occurs twice, so ties decide: descending token order (Keras np.lexsort[::-1]).
    expect(tv.get_vocabulary()).toEqual(['', '[UNK]', 'the', 'sat', 'dog', 'cat']);
    expect(tv.vocabulary_size()).toBe(6);
    expect(tv.call('The cat sat.')).toEqual([2, 5, 3]);
    expect(tv.call('A dog!')).toEqual([1, 4]); // 'a' was cut by max_tokens → [UNK]
    expect(tv.call('the zebra')).toEqual([2, 1]);
    expect(tv.get_vocabulary(false)).toEqual(['the', 'sat', 'dog', 'cat']);
  });

  it('reproduces the example from the Keras TextVectorization docstring', () => {
    const tv = new TextVectorization({ max_tokens: 5000, output_sequence_length: 4 });
    tv.adapt(['foo', 'bar', 'baz']);
    expect(tv.get_vocabulary()).toEqual(['', '[UNK]', 'foo', 'baz', 'bar']);
    expect(tv.callBatch(['foo qux bar', 'qux baz'])).toEqual([
      [2, 1, 4, 0],
      [1, 3, 0, 0],
    ]);
  });

  it('orders by count first, then by descending code point order', () => {
    const tv = new TextVectorization().adapt(['b a a c c c', 'B Z']);
    expect(tv.get_vocabulary()).toEqual(['', '[UNK]', 'c', 'b', 'a', 'z']);
    const counts = new Map([
      ['é', 1],
      ['z', 1],
      ['😀', 1],
      ['\uffee', 1],
    ]);
    // Code point order: z < é < U+FFEE < 😀 (U+1F600); UTF-16 `<` would put 😀 before U+FFEE.
    expect(sortVocabulary(counts)).toEqual(['😀', '\uffee', 'é', 'z']);
    expect(compareCodePoints('😀', '\uffee')).toBeGreaterThan(0);
    expect(compareCodePoints('ab', 'abc')).toBeLessThan(0);
    expect(compareCodePoints('abc', 'abc')).toBe(0);
  });

  it('strips exactly the Keras punctuation set', () => {
    const all = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\'';
    expect(all.replace(DEFAULT_STRIP_REGEX, '')).toBe('');
    expect(standardizeText(`a${all}b`, 'strip_punctuation')).toBe('ab');
    // Not in the set: Unicode punctuation, digits, emoji.
    expect(standardizeText('“Hi”—it’s 9…🙂', 'lower_and_strip_punctuation')).toBe('“hi”—it’s 9…🙂');
    expect(standardizeText("Don't STOP-me!", 'lower_and_strip_punctuation')).toBe('dont stopme');
    expect(standardizeText("Don't", 'lower')).toBe("don't");
    expect(standardizeText("Don't", 'strip_punctuation')).toBe('Dont');
    expect(standardizeText("Don't", null)).toBe("Don't");
  });

  it('lower-cases ASCII only by default, as tf.strings.lower does, and Unicode when asked', () => {
    expect(standardizeText('ÉCOLE Ωmega', 'lower')).toBe('École Ωmega');
    expect(standardizeText('ÉCOLE Ωmega', 'lower', 'unicode')).toBe('école ωmega');
    expect(asciiLower('ABC Ä')).toBe('abc Ä');
  });

  it('splits on runs of ASCII whitespace, by code point, or not at all', () => {
    expect(splitText('  a \t b\n\nc  ', 'whitespace')).toEqual(['a', 'b', 'c']);
    expect(splitText('   ', 'whitespace')).toEqual([]);
    expect(splitText('a\u00a0b', 'whitespace')).toEqual(['a\u00a0b']); // NBSP is not ASCII whitespace
    expect(splitText('hé😀', 'character')).toEqual(['h', 'é', '😀']);
    expect(splitText('a b', null)).toEqual(['a b']);
  });

  it('pads with 0 and truncates at the end', () => {
    const tv = new TextVectorization({ output_sequence_length: 3 }).adapt(['a b c d', 'a b c', 'a b', 'a']);
    expect(tv.get_vocabulary()).toEqual(['', '[UNK]', 'a', 'b', 'c', 'd']);
    expect(tv.call('a b c d')).toEqual([2, 3, 4]);
    expect(tv.call('d')).toEqual([5, 0, 0]);
    expect(tv.call('')).toEqual([0, 0, 0]);
  });

  it('character split: a char-level vocabulary, decode joins without spaces', () => {
    const tv = new TextVectorization({ split: 'character', standardize: 'lower' }).adapt(['Anna', 'Ann']);
    expect(tv.get_vocabulary()).toEqual(['', '[UNK]', 'n', 'a']);
    expect(tv.call('Nana!')).toEqual([2, 3, 2, 3, 1]);
    expect(tv.decode([2, 3, 2, 3, 1, 0, 0])).toBe('nana[UNK]');
  });

  it('decodes word ids with spaces, dropping padding', () => {
    const tv = new TextVectorization({ max_tokens: 6 }).adapt(['The cat sat.', 'the dog sat!', 'A cat & a dog']);
    expect(tv.decode([2, 5, 1, 0])).toBe('the cat [UNK]');
    expect(() => tv.decode([9])).toThrow('Token id 9 is outside the vocabulary (size 6).');
  });

  it('never learns the special tokens and re-adapt resets the vocabulary', () => {
    const tv = new TextVectorization({ standardize: null }).adapt(['[UNK] x [UNK]']);
    expect(tv.get_vocabulary()).toEqual(['', '[UNK]', 'x']);
    tv.adapt(['y']);
    expect(tv.get_vocabulary()).toEqual(['', '[UNK]', 'y']);
  });

  it('accepts a fixed vocabulary and validates options', () => {
    const tv = new TextVectorization({ vocabulary: ['hello', 'world'] });
    expect(tv.call('Hello, World! Bye')).toEqual([2, 3, 1]);
    expect(() => new TextVectorization({ max_tokens: 2 })).toThrow('max_tokens must be an integer of at least 3');
    expect(() => new TextVectorization({ output_sequence_length: 0 })).toThrow('output_sequence_length must be a positive integer');
    expect(() => new TextVectorization({ vocabulary: ['a', 'a'] })).toThrow('"a" more than once');
    expect(() => new TextVectorization({ vocabulary: ['[UNK]'] })).toThrow('special token');
    expect(() => new TextVectorization({ max_tokens: 3, vocabulary: ['a', 'b'] })).toThrow('more than max_tokens = 3');
  });
});
