/**
 * An uploaded CSV's columns: the first rows as a table, and the column mapping (text, then a label
 * for classification or a target sequence for sequence-to-sequence, optional confidence with its
 * threshold). Changing the mapping rebuilds the dataset at once;
 * a mapping problem (a missing column, one class, too few rows) is shown right here.
 */
import type { ColumnMapping } from '../../data/csvMapping.ts';
import { useData, useDataStore } from './context.ts';
import { Problem } from './Problem.tsx';

const PREVIEW_ROWS = 5;

export function CsvPreview() {
  const table = useData((s) => s.table);
  const mapping = useData((s) => s.mapping);
  if (!table) return null;
  const role = (c: string) => (c === mapping.text ? 'text' : c === mapping.label ? 'label' : c === mapping.target_sequence ? 'target' : c === mapping.confidence ? 'confidence' : null);
  return (
    <section className="data-card wide" aria-label="CSV preview">
      <h3>File <span className="muted">· {table.rows.length.toLocaleString('en-US')} rows, {table.columns.length} columns</span></h3>
      <div className="csv-preview" data-scroll-x>
        <table aria-label="First rows of the CSV">
          <thead>
            <tr>{table.columns.map((c) => <th key={c} className={role(c) ? 'mapped' : ''}>{c}{role(c) && <span className="role">{role(c)}</span>}</th>)}</tr>
          </thead>
          <tbody>
            {table.rows.slice(0, PREVIEW_ROWS).map((r, k) => (
              <tr key={k}>{table.columns.map((c) => <td key={c} title={r[c]}>{r[c]}</td>)}</tr>
            ))}
          </tbody>
        </table>
      </div>
      {table.errors.length > 0 && (
        <p className="muted data-small">
          {table.errors.length} row{table.errors.length === 1 ? '' : 's'} had problems: {table.errors.slice(0, 2).map((e) => e.message).join('; ')}
          {table.errors.length > 2 ? '; …' : ''}
        </p>
      )}
    </section>
  );
}

function ColumnSelect({ role, label, value, columns, optional, onChange }: {
  role: string; label: string; value: string | undefined; columns: readonly string[]; optional?: boolean; onChange: (v: string | undefined) => void;
}) {
  const missing = value !== undefined && !columns.includes(value);
  return (
    <label className="map-field">
      <span>{label}{!optional && <span className="req" aria-hidden> *</span>}</span>
      <select aria-label={`${role} column`} value={value ?? ''} title={value} aria-invalid={missing || (!optional && !value)}
        onChange={(e) => onChange(e.target.value || undefined)}>
        <option value="">{optional ? '— none —' : 'Choose…'}</option>
        {missing && <option value={value}>{value} (not in the file)</option>}
        {columns.map((c) => <option key={c} value={c}>{c}</option>)}
      </select>
    </label>
  );
}

export function CsvMapping() {
  const data = useDataStore();
  const table = useData((s) => s.table);
  const mapping = useData((s) => s.mapping);
  const error = useData((s) => s.error);
  if (!table) return null;
  const set = (patch: Partial<ColumnMapping>) => data.getState().setMapping(patch);
  return (
    <section className="data-card" aria-label="Column mapping">
      <h3>Columns</h3>
      <div className="map-grid">
        <ColumnSelect role="Text" label="Input text" value={mapping.text} columns={table.columns} onChange={(text) => set({ text })} />
        <ColumnSelect role="Label" label="Label" value={mapping.label} columns={table.columns} optional={!!mapping.target_sequence}
          onChange={(label) => set({ label, target_sequence: label ? undefined : mapping.target_sequence })} />
        <ColumnSelect role="Target sequence" label="Target sequence (seq2seq)" value={mapping.target_sequence} columns={table.columns} optional
          onChange={(target_sequence) => set({ target_sequence, label: target_sequence ? undefined : mapping.label })} />
        <ColumnSelect role="Confidence" label="Confidence" value={mapping.confidence} columns={table.columns} optional
          onChange={(confidence) => set({ confidence, threshold: confidence ? (mapping.threshold ?? 0.5) : undefined })} />
        <label className="map-field">
          <span>Keep rows with confidence &gt;</span>
          <input type="number" aria-label="Confidence threshold" min={0} max={1} step={0.05} disabled={!mapping.confidence}
            value={mapping.threshold ?? 0.5}
            onChange={(e) => { if (Number.isFinite(e.target.valueAsNumber)) set({ threshold: e.target.valueAsNumber }); }} />
        </label>
      </div>
      {error?.where === 'mapping' && <Problem problem={error} />}
    </section>
  );
}
