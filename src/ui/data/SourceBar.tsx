/**
 * The top of the data panel: the dataset picker (the catalog grouped by origin, each with its
 * task pattern), "Upload CSV…", the parsing progress bar, the split sizes once a dataset is
 * ready, and any problem with the file or the catalog load.
 */
import { useRef } from 'react';
import { DATASETS } from '../../data/catalog.ts';
import { formatBytes } from '../../data/errors.ts';
import { CSV_ENTRY } from '../../store/index.ts';
import { useData, useDataStore } from './context.ts';
import { Problem } from './Problem.tsx';

const GROUPS = [
  { origin: 'built-in', label: 'Built-in (real data)' },
  { origin: 'synthetic', label: 'Synthetic (generated here)' },
] as const;

export function SourceBar() {
  const data = useDataStore();
  const entry = useData((s) => s.entry);
  const status = useData((s) => s.status);
  const file = useData((s) => s.file);
  const progress = useData((s) => s.progress);
  const sizes = useData((s) => s.overview?.sizes);
  const error = useData((s) => s.error);
  const input = useRef<HTMLInputElement>(null);

  return (
    <div className="data-source">
      <div className="data-source-row">
        <label className="data-picker">
          <span>Dataset</span>
          <select aria-label="Dataset" value={entry ?? ''}
            onChange={(e) => { if (e.target.value && e.target.value !== CSV_ENTRY) void data.getState().choose(e.target.value); }}>
            {!entry && <option value="">Choose a dataset…</option>}
            {entry === CSV_ENTRY && <option value={CSV_ENTRY}>Uploaded CSV{file ? `: ${file.name}` : ''}</option>}
            {GROUPS.map((g) => (
              <optgroup key={g.origin} label={g.label}>
                {DATASETS.filter((d) => d.origin === g.origin).map((d) => (
                  <option key={d.id} value={d.id}>{d.name} — {d.pattern}</option>
                ))}
              </optgroup>
            ))}
          </select>
        </label>
        <span className="muted data-or">or</span>
        <button type="button" className="data-button" onClick={() => input.current?.click()}>Upload CSV…</button>
        <input ref={input} type="file" accept=".csv,text/csv" hidden aria-label="CSV file"
          onChange={(e) => { const f = e.target.files?.[0]; e.target.value = ''; if (f) void data.getState().upload(f); }} />
        {file && entry === CSV_ENTRY && <span className="muted data-file-info">{file.name} · {formatBytes(file.size)}</span>}
        {status === 'loading' && <span className="muted" role="status">Loading…</span>}
        {status === 'parsing' && progress && (
          <span className="parse-progress">
            <progress aria-label="Parsing the CSV" max={1} value={progress.fraction} />
            <span className="muted">{progress.rows.toLocaleString('en-US')} rows</span>
          </span>
        )}
        {sizes && (
          <ul className="split-sizes" aria-label="Split sizes">
            {(['train', 'val', 'test'] as const).map((k) => (
              <li key={k}><span className="muted">{k}</span> <b>{sizes[k].toLocaleString('en-US')}</b></li>
            ))}
          </ul>
        )}
      </div>
      {error && (error.where === 'file' || error.where === 'catalog') && <Problem problem={error} />}
      {error?.where === 'catalog' && entry && (
        <button type="button" className="data-button retry" onClick={() => void data.getState().choose(entry, data.getState().options)}>Try again</button>
      )}
    </div>
  );
}
