/** Colours per category (palette dots, node stripes); the only place that maps a category to a look. */
import type { Category } from '../core/layers/define.ts';

export const CATEGORY_COLOR: Record<Category, string> = {
  Inputs: '#0ea5e9',
  Recurrent: '#8b5cf6',
  Core: '#10b981',
  Wrappers: '#f59e0b',
  Merge: '#ec4899',
  Outputs: '#64748b',
};

/** Keras notation for a parameter value: None, True/False, quoted strings, lists. */
export function formatValue(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (Array.isArray(v)) return `(${v.map(formatValue).join(', ')}${v.length === 1 ? ',' : ''})`;
  if (typeof v === 'object') return String((v as { kind?: string }).kind ?? '…');
  return String(v);
}
