/**
 * A key equation in plain text with a small markup for what Unicode lacks: `_x` or `_{…}` is a
 * subscript, `^x` or `^{…}` a superscript (ŷ = softmax(W [h→_T ; h←_1] + b)). Text only, no HTML.
 */
import type { ReactNode } from 'react';

export function formulaParts(text: string): { kind: 'text' | 'sub' | 'sup'; text: string }[] {
  const out: { kind: 'text' | 'sub' | 'sup'; text: string }[] = [];
  const re = /([_^])(?:\{([^}]*)\}|([^\s{}()[\],;+\-=·⊙/]+?(?=[\s)(\],;+=·⊙/]|$)|[^\s{}]))/gu;
  let last = 0;
  for (const m of text.matchAll(re)) {
    if (m.index! > last) out.push({ kind: 'text', text: text.slice(last, m.index) });
    out.push({ kind: m[1] === '_' ? 'sub' : 'sup', text: m[2] ?? m[3] });
    last = m.index! + m[0].length;
  }
  if (last < text.length) out.push({ kind: 'text', text: text.slice(last) });
  return out;
}

export function Formula({ text }: { text: string }): ReactNode {
  return formulaParts(text).map((p, k) => (p.kind === 'sub' ? <sub key={k}>{p.text}</sub> : p.kind === 'sup' ? <sup key={k}>{p.text}</sup> : p.text));
}
