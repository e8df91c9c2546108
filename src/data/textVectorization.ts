/**
 * A Keras-3-faithful TextVectorization (output_mode 'int' only): standardise → split → look up.
 *
 * Rules (see README.md "Keras parity"):
 * - standardize: 'lower' lower-cases, 'strip_punctuation' deletes every character of Keras's
 *   DEFAULT_STRIP_REGEX `[!"#$%&()\*\+,-\./:;<=>?@\[\\\]^_`{|}~']` (ASCII punctuation only;
 *   `,-\.` is a range that covers `,` `-` `.`), 'lower_and_strip_punctuation' does both (the
 *   default). Lower-casing is ASCII-only by default, exactly as Keras's tf.strings.lower (no
 *   encoding): `É` stays `É`; `lowercase: 'unicode'` lower-cases every letter.
 * - split: 'whitespace' splits on runs of ASCII whitespace and drops empty pieces like
 *   tf.strings.split; 'character' yields Unicode code points like tf.strings.unicode_split;
 *   null keeps the whole standardised string as one token.
 * - Vocabulary: index 0 is the padding/mask token '', index 1 is '[UNK]', then the learned tokens
 *   by descending count, ties by descending code point order (vocabulary.ts). max_tokens counts
 *   the two special tokens, so at most max_tokens - 2 tokens are learned.
 * - call: unknown tokens map to 1; an empty token maps to 0; output_sequence_length pads with 0
 *   or truncates at the end.
 */
import { sortVocabulary, TokenCounter } from './vocabulary.ts';

export type Standardize = 'lower_and_strip_punctuation' | 'lower' | 'strip_punctuation' | null;
export type Split = 'whitespace' | 'character' | null;

export interface TextVectorizationOptions {
  max_tokens?: number | null;
  standardize?: Standardize;
  split?: Split;
  output_sequence_length?: number | null;
  /** Sets the vocabulary instead of adapting (without '' and '[UNK]', which are prepended). */
  vocabulary?: readonly string[];
  /** 'unicode' (default) or 'ascii' (exactly what tf.strings.lower does). */
  lowercase?: 'unicode' | 'ascii';
}

/** Keras's DEFAULT_STRIP_REGEX as a global JavaScript regular expression. */
export const DEFAULT_STRIP_REGEX = /[!"#$%&()*+,\-./:;<=>?@[\\\]^_`{|}~']/g;
export const PAD_TOKEN = '';
export const OOV_TOKEN = '[UNK]';
export const PAD_ID = 0;
export const OOV_ID = 1;

const ASCII_WHITESPACE = /[ \t\n\v\f\r]+/;

/** Lower-cases only A–Z, like tf.strings.lower with the default encoding. */
export function asciiLower(text: string): string {
  return text.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

/** Applies a standardisation rule to one string. */
export function standardizeText(
  text: string,
  standardize: Standardize,
  lowercase: 'unicode' | 'ascii' = 'ascii',
): string {
  let out = text;
  if (standardize === 'lower' || standardize === 'lower_and_strip_punctuation') {
    out = lowercase === 'ascii' ? asciiLower(out) : out.toLowerCase();
  }
  if (standardize === 'strip_punctuation' || standardize === 'lower_and_strip_punctuation') {
    out = out.replace(DEFAULT_STRIP_REGEX, '');
  }
  return out;
}

/** Splits a standardised string into tokens. */
export function splitText(text: string, split: Split): string[] {
  if (split === 'whitespace') return text.split(ASCII_WHITESPACE).filter((t) => t.length > 0);
  if (split === 'character') return Array.from(text);
  return [text];
}

export class TextVectorization {
  readonly maxTokens: number | null;
  readonly standardize: Standardize;
  readonly split: Split;
  readonly outputSequenceLength: number | null;
  readonly lowercase: 'unicode' | 'ascii';
  private vocab: string[] = [PAD_TOKEN, OOV_TOKEN];
  private index = new Map<string, number>();

  constructor(options: TextVectorizationOptions = {}) {
    const max = options.max_tokens ?? null;
    if (max !== null && (!Number.isInteger(max) || max < 3)) {
      throw new Error(`max_tokens must be an integer of at least 3 (padding, [UNK] and one token), got ${max}.`);
    }
    const len = options.output_sequence_length ?? null;
    if (len !== null && (!Number.isInteger(len) || len < 1)) {
      throw new Error(`output_sequence_length must be a positive integer, got ${len}.`);
    }
    this.maxTokens = max;
    this.standardize = options.standardize === undefined ? 'lower_and_strip_punctuation' : options.standardize;
    this.split = options.split === undefined ? 'whitespace' : options.split;
    this.outputSequenceLength = len;
    this.lowercase = options.lowercase ?? 'ascii';
    this.set_vocabulary(options.vocabulary ?? []);
  }

  /** Standardises and splits one text, returning its string tokens. */
  tokenize(text: string): string[] {
    return splitText(standardizeText(text, this.standardize, this.lowercase), this.split);
  }

  /** Learns the vocabulary from texts (resets any previous vocabulary). */
  adapt(texts: Iterable<string>): this {
    const counter = new TokenCounter();
    for (const text of texts) counter.addAll(this.tokenize(text));
    const learned = sortVocabulary(counter.counts, {
      exclude: [PAD_TOKEN, OOV_TOKEN],
      maxLearned: this.maxTokens === null ? null : this.maxTokens - 2,
    });
    this.setVocab(learned);
    return this;
  }

  /** Sets the learned tokens directly (without '' and '[UNK]'). Duplicates are rejected. */
  set_vocabulary(tokens: readonly string[]): this {
    const seen = new Set<string>();
    for (const t of tokens) {
      if (t === PAD_TOKEN || t === OOV_TOKEN) throw new Error(`The vocabulary must not contain the special token ${JSON.stringify(t)}; it is added automatically.`);
      if (seen.has(t)) throw new Error(`The vocabulary contains ${JSON.stringify(t)} more than once.`);
      seen.add(t);
    }
    if (this.maxTokens !== null && tokens.length + 2 > this.maxTokens) {
      throw new Error(`The vocabulary has ${tokens.length + 2} entries with '' and [UNK], more than max_tokens = ${this.maxTokens}.`);
    }
    this.setVocab(tokens);
    return this;
  }

  private setVocab(learned: readonly string[]): void {
    this.vocab = [PAD_TOKEN, OOV_TOKEN, ...learned];
    this.index = new Map(this.vocab.map((t, i) => [t, i]));
  }

  /** The vocabulary; with special tokens, a token's position is its id. */
  get_vocabulary(include_special_tokens = true): string[] {
    return include_special_tokens ? this.vocab.slice() : this.vocab.slice(2);
  }

  /** The number of ids the layer can output, including '' and '[UNK]'. */
  vocabulary_size(): number {
    return this.vocab.length;
  }

  /** The id of one (already standardised) token. */
  tokenId(token: string): number {
    if (token === PAD_TOKEN) return PAD_ID;
    return this.index.get(token) ?? OOV_ID;
  }

  /** Vectorises one text: token ids, padded with 0 / truncated at the end if a length is set. */
  call(text: string): number[] {
    const ids = this.tokenize(text).map((t) => this.tokenId(t));
    const n = this.outputSequenceLength;
    if (n === null) return ids;
    if (ids.length >= n) return ids.slice(0, n);
    return ids.concat(new Array<number>(n - ids.length).fill(PAD_ID));
  }

  /** Vectorises many texts. */
  callBatch(texts: readonly string[]): number[][] {
    return texts.map((t) => this.call(t));
  }

  /** Turns ids back into text: padding (0) is dropped; tokens are joined by ' ' (or '' for characters). */
  decode(ids: Iterable<number>): string {
    const tokens: string[] = [];
    for (const id of ids) {
      if (id === PAD_ID) continue;
      const token = this.vocab[id];
      if (token === undefined) throw new Error(`Token id ${id} is outside the vocabulary (size ${this.vocab.length}).`);
      tokens.push(token);
    }
    return tokens.join(this.split === 'character' ? '' : ' ');
  }
}
