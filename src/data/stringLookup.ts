/**
 * A Keras-3-style StringLookup (output_mode 'int'): maps labels or tokens to integer indices.
 *
 * Index layout as in Keras: the mask token (if any) at 0, then num_oov_indices OOV slots, then the
 * vocabulary. adapt() orders tokens by count descending, ties by token descending (vocabulary.ts).
 * num_oov_indices may be 0 (unknown input throws an Error naming it and the vocabulary) or 1
 * (unknown input maps to the OOV index); Keras's hashing into several OOV slots is not supported.
 * The course's label encoder is
 * `new StringLookup({ vocabulary: ['positive', 'negative', 'neutral'], num_oov_indices: 0 })`.
 */
import { sortVocabulary, TokenCounter } from './vocabulary.ts';

export interface StringLookupOptions {
  vocabulary?: readonly string[];
  num_oov_indices?: 0 | 1;
  oov_token?: string;
  mask_token?: string | null;
  max_tokens?: number | null;
}

export class StringLookup {
  readonly numOovIndices: 0 | 1;
  readonly oovToken: string;
  readonly maskToken: string | null;
  readonly maxTokens: number | null;
  private tokens: string[] = [];
  private index = new Map<string, number>();

  constructor(options: StringLookupOptions = {}) {
    const oov = options.num_oov_indices ?? 1;
    if (oov !== 0 && oov !== 1) throw new Error(`num_oov_indices must be 0 or 1, got ${String(oov)}.`);
    this.numOovIndices = oov;
    this.oovToken = options.oov_token ?? '[UNK]';
    this.maskToken = options.mask_token ?? null;
    this.maxTokens = options.max_tokens ?? null;
    if (options.vocabulary) this.set_vocabulary(options.vocabulary);
  }

  /** Index of the first vocabulary token. */
  private get tokenStart(): number {
    return (this.maskToken === null ? 0 : 1) + this.numOovIndices;
  }

  /** Learns the vocabulary from values (resets any previous vocabulary). */
  adapt(values: Iterable<string>): this {
    const counter = new TokenCounter();
    counter.addAll(values);
    const tokens = sortVocabulary(counter.counts, {
      exclude: [this.maskToken, this.oovToken],
      maxLearned: this.maxTokens === null ? null : this.maxTokens - this.tokenStart,
    });
    this.setTokens(tokens);
    return this;
  }

  /** Sets the vocabulary (without mask and OOV tokens). */
  set_vocabulary(vocabulary: readonly string[]): this {
    const seen = new Set<string>();
    for (const t of vocabulary) {
      if (seen.has(t)) throw new Error(`The vocabulary contains ${JSON.stringify(t)} more than once.`);
      if (t === this.maskToken) throw new Error(`The vocabulary must not contain the mask token ${JSON.stringify(t)}.`);
      if (this.numOovIndices > 0 && t === this.oovToken) {
        throw new Error(`The vocabulary must not contain the OOV token ${JSON.stringify(t)}.`);
      }
      seen.add(t);
    }
    this.setTokens(vocabulary);
    return this;
  }

  private setTokens(tokens: readonly string[]): void {
    this.tokens = tokens.slice();
    this.index = new Map(this.tokens.map((t, i) => [t, i + this.tokenStart]));
  }

  /** The full vocabulary: position = index (mask, OOV, tokens); without special tokens if asked. */
  get_vocabulary(include_special_tokens = true): string[] {
    if (!include_special_tokens) return this.tokens.slice();
    const head: string[] = [];
    if (this.maskToken !== null) head.push(this.maskToken);
    if (this.numOovIndices > 0) head.push(this.oovToken);
    return [...head, ...this.tokens];
  }

  vocabulary_size(): number {
    return this.tokenStart + this.tokens.length;
  }

  /** The index of one value; throws for unknown values when num_oov_indices is 0. */
  lookup(value: string): number {
    if (this.maskToken !== null && value === this.maskToken) return 0;
    const i = this.index.get(value);
    if (i !== undefined) return i;
    if (this.numOovIndices === 0) {
      const known = this.tokens.map((t) => JSON.stringify(t)).join(', ');
      throw new Error(
        `Unknown label ${JSON.stringify(value)}: it is not in the vocabulary [${known}] and num_oov_indices is 0, so unknown values are not allowed.`,
      );
    }
    return this.maskToken === null ? 0 : 1;
  }

  lookupAll(values: readonly string[]): number[] {
    return values.map((v) => this.lookup(v));
  }

  /** The value of an index (the inverse layer); OOV slots and unknown indices give the OOV token. */
  inverse(index: number): string {
    if (this.maskToken !== null && index === 0) return this.maskToken;
    const token = Number.isInteger(index) ? this.tokens[index - this.tokenStart] : undefined;
    if (token !== undefined && index >= this.tokenStart) return token;
    if (this.numOovIndices === 0) {
      throw new Error(`Index ${index} is outside the vocabulary (0 to ${this.vocabulary_size() - 1}).`);
    }
    return this.oovToken;
  }
}
