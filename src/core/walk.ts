/**
 * Graph walks without recursion: a chain of any length (tens of thousands of layers) never
 * exhausts the call stack. Every walk in core that follows wires goes through these.
 *
 *   const { pre, post } = depthFirst(outputs, (id) => inputsOf(id));
 */

/**
 * Depth-first walk from `roots` along `next`, in exactly the order of the recursive walk
 *
 *   visit(n): if seen(n) return; pre.push(n); for (c of next(n)) visit(c); post.push(n)
 *
 * A node is visited once; a node met again while it is still being walked (a cycle) is skipped.
 * `pre` lists first visits, `post` the order in which walks finish (inputs before their users
 * when `next` gives inputs).
 */
export function depthFirst<K>(roots: Iterable<K>, next: (k: K) => Iterable<K>): { pre: K[]; post: K[] } {
  const seen = new Set<K>();
  const pre: K[] = [];
  const post: K[] = [];
  const stack: { k: K; it: Iterator<K> }[] = [];
  const enter = (k: K) => {
    if (seen.has(k)) return;
    seen.add(k);
    pre.push(k);
    stack.push({ k, it: next(k)[Symbol.iterator]() });
  };
  for (const r of roots) {
    enter(r);
    while (stack.length) {
      const top = stack[stack.length - 1];
      const step = top.it.next();
      if (step.done) {
        stack.pop();
        post.push(top.k);
      } else enter(step.value);
    }
  }
  return { pre, post };
}

/** The largest of `xs` (−∞ when empty), without spreading them into arguments. */
export function maxOf(xs: Iterable<number>): number {
  let m = -Infinity;
  for (const x of xs) if (x > m) m = x;
  return m;
}

/** The smallest of `xs` (+∞ when empty), without spreading them into arguments. */
export function minOf(xs: Iterable<number>): number {
  let m = Infinity;
  for (const x of xs) if (x < m) m = x;
  return m;
}
