/**
 * Vocabulary building shared by TextVectorization and StringLookup, following Keras 3's
 * IndexLookup.finalize_state: tokens are sorted by count, highest first, and ties are broken by
 * the tokens themselves in DESCENDING order — Keras runs
 * `np.lexsort((tokens, counts))[::-1]`, i.e. an ascending sort by (count, token bytes) reversed.
 * Byte order of UTF-8 equals Unicode code point order, which is what compareCodePoints implements
 * (JavaScript's `<` compares UTF-16 code units and differs for astral characters).
 * The special tokens (mask and OOV) are removed from the counts before sorting.
 */

/** Compares two strings by Unicode code points (= UTF-8 byte order): negative, 0 or positive. */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.codePointAt(i) ?? 0;
    const cb = b.codePointAt(i) ?? 0;
    if (ca !== cb) return ca - cb;
    if (ca > 0xffff) i++; // skip the low surrogate; both strings share it
  }
  return a.length - b.length;
}

/** Counts tokens in order of appearance. */
export class TokenCounter {
  readonly counts = new Map<string, number>();

  add(token: string, by = 1): void {
    this.counts.set(token, (this.counts.get(token) ?? 0) + by);
  }

  addAll(tokens: Iterable<string>): void {
    for (const t of tokens) this.add(t);
  }
}

/**
 * The learned part of a vocabulary: tokens sorted by (count descending, token descending in code
 * point order), without the excluded special tokens, cut to maxLearned entries when given.
 */
export function sortVocabulary(
  counts: ReadonlyMap<string, number>,
  options: { exclude?: readonly (string | null)[]; maxLearned?: number | null } = {},
): string[] {
  const excluded = new Set(options.exclude?.filter((t): t is string => t !== null));
  const entries = [...counts].filter(([token]) => !excluded.has(token));
  entries.sort((a, b) => b[1] - a[1] || compareCodePoints(b[0], a[0]));
  const tokens = entries.map(([token]) => token);
  const max = options.maxLearned;
  return max === null || max === undefined ? tokens : tokens.slice(0, Math.max(0, max));
}
