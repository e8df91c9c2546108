/**
 * One parameter editor, chosen by the ParamSpec's type: its Keras name, help, limits and validation
 * (the core's `checkParam`). A value is committed only when valid; otherwise the message shows.
 */
import { useEffect, useId, useState } from 'react';
import { checkParam, parseShapeText, type ParamSpec } from '../../core/params.ts';
import type { ParamValue } from '../../core/types.ts';
import { formatValue } from '../theme.ts';

interface Props {
  readonly spec: ParamSpec;
  readonly value: ParamValue | undefined;
  readonly onChange: (v: ParamValue) => void;
  /** Prefix for accessible names of nested parameters (`layer.units`). */
  readonly prefix?: string;
}

function limits(spec: ParamSpec): string | null {
  if (spec.type !== 'int' && spec.type !== 'float') return null;
  const lo = spec.min, hi = spec.max;
  if (lo === undefined && hi === undefined) return null;
  const hiText = hi === undefined ? '' : spec.type === 'float' && spec.maxExclusive ? `< ${hi}` : `≤ ${hi}`;
  return [lo !== undefined ? `≥ ${lo}` : '', hiText].filter(Boolean).join(', ');
}


function toText(spec: ParamSpec, v: ParamValue | undefined): string {
  if (spec.type === 'shape') return Array.isArray(v) ? v.map((d) => (d === null ? 'None' : String(d))).join(', ') : '';
  if (v === null || v === undefined) return spec.type === 'int' ? 'None' : '';
  return String(v);
}

export function ParamField({ spec, value, onChange, prefix = '' }: Props) {
  const id = useId();
  const label = prefix + spec.name;
  const [text, setText] = useState(toText(spec, value));
  const [error, setError] = useState<string | null>(null);
  useEffect(() => { setText(toText(spec, value)); setError(null); }, [spec, value]);

  // A shape is typed as text (`10, 2`, `(10, 2)`, `10 2`, `None, 12`); what cannot be read says how to write it.
  const check = (t: string): { v: ParamValue; err: string | null } => {
    if (spec.type === 'shape') {
      const r = parseShapeText(t);
      if (!r.ok) return { v: null, err: `${spec.name}: ${r.message}` };
      return { v: r.shape, err: checkParam(spec, r.shape) };
    }
    const v = parse(t);
    return { v, err: checkParam(spec, v) };
  };
  const tryCommit = (t: string) => {
    const { v, err } = check(t);
    setError(err);
    if (!err && JSON.stringify(v) !== JSON.stringify(value)) onChange(v);
  };
  const parse = (t: string): ParamValue => {
    if (spec.type === 'int' && spec.nullable && /^\s*none\s*$/i.test(t)) return null;
    return t.trim() === '' ? NaN : Number(t);
  };
  const lim = limits(spec);
  let input;
  switch (spec.type) {
    case 'bool':
      input = (
        <input id={id} type="checkbox" role="switch" aria-label={label} checked={value === true}
          onChange={(e) => onChange(e.target.checked)} />
      );
      break;
    case 'enum':
      input = (
        <select id={id} aria-label={label} value={value === null ? '__none__' : String(value)}
          onChange={(e) => onChange(e.target.value === '__none__' ? null : e.target.value)}>
          {spec.options.map((o) => <option key={String(o)} value={o === null ? '__none__' : o}>{formatValue(o)}</option>)}
        </select>
      );
      break;
    case 'layer':
      return null; // nested layers are edited by the inspector's WrappedLayer
    default: {
      input = (
        <input id={id} aria-label={label} aria-invalid={!!error} aria-describedby={`${id}-msg`} inputMode={spec.type === 'shape' ? 'text' : 'decimal'}
          value={text} spellCheck={false}
          onChange={(e) => { setText(e.target.value); setError(check(e.target.value).err); }}
          onBlur={() => tryCommit(text)}
          onKeyDown={(e) => { if (e.key === 'Enter') tryCommit(text); if (e.key === 'Escape') { setText(toText(spec, value)); setError(null); } }} />
      );
    }
  }
  return (
    <div className={`field field-${spec.type} ${error ? 'invalid' : ''}`} data-param={label}>
      <label htmlFor={id} className="field-name"><code>{spec.name}</code>{spec.keras === false && <span className="tag">Unroll</span>}</label>
      <div className="field-input">{input}{lim && <span className="field-limits">{lim}</span>}</div>
      {error ? <p className="field-error" role="alert" id={`${id}-msg`}>{error}</p> : <p className="field-help" id={`${id}-msg`}>{spec.help}</p>}
    </div>
  );
}
