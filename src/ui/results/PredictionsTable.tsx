/**
 * Every prediction of an evaluation, sortable (click a column), filterable (wrong ones only, a
 * true or predicted class, a text search) and paged (50 a page). Taggers show each word with its
 * true and predicted tag; sequences their step accuracy; regression the error.
 */
import { useMemo, useState } from 'react';
import type { EvalRow, Evaluation } from '../../tf/train/workbench.ts';

export interface RowFilter {
  readonly wrongOnly: boolean;
  readonly truth: string | null;
  readonly predicted: string | null;
  readonly text: string;
}

type SortKey = 'i' | 'input' | 'truth' | 'predicted' | 'probability' | 'score';

const PAGE = 50;

const score = (r: EvalRow) => (r.values ? Math.abs((r.values.predicted[0] ?? 0) - (r.values.truth[0] ?? 0)) : r.stepAccuracy ?? (r.correct ? 1 : 0));

export function PredictionsTable({ e, filter, onFilter }: { e: Evaluation; filter: RowFilter; onFilter: (f: RowFilter) => void }) {
  const [sort, setSort] = useState<{ key: SortKey; up: boolean }>({ key: 'i', up: true });
  const [page, setPage] = useState(0);
  const tags = e.kind === 'tags';
  const rows = useMemo(() => {
    const q = filter.text.trim().toLowerCase();
    const picked = e.rows.filter((r) => {
      if (filter.wrongOnly && r.correct !== false) return false;
      if (tags && (filter.truth || filter.predicted)) {
        if (!r.tokens?.some((t) => (!filter.truth || t.truth === filter.truth) && (!filter.predicted || t.predicted === filter.predicted))) return false;
      } else {
        if (filter.truth && r.truth !== filter.truth) return false;
        if (filter.predicted && r.predicted !== filter.predicted) return false;
      }
      return !q || r.input.toLowerCase().includes(q) || r.truth.toLowerCase().includes(q) || r.predicted.toLowerCase().includes(q);
    });
    const value = (r: EvalRow): string | number => (sort.key === 'score' ? score(r) : sort.key === 'probability' ? r.probability ?? 0 : sort.key === 'i' ? r.i : r[sort.key]);
    return [...picked].sort((a, b) => {
      const x = value(a), y = value(b);
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      return sort.up ? c : -c;
    });
  }, [e, filter, sort, tags]);
  const pages = Math.max(1, Math.ceil(rows.length / PAGE));
  const at = Math.min(page, pages - 1);
  const shown = rows.slice(at * PAGE, (at + 1) * PAGE);
  const wrong = e.rows.filter((r) => r.correct === false).length;
  const head = (key: SortKey, label: string, cls = '') => (
    <th className={cls} aria-sort={sort.key === key ? (sort.up ? 'ascending' : 'descending') : 'none'}>
      <button type="button" onClick={() => { setSort({ key, up: sort.key === key ? !sort.up : key === 'i' }); setPage(0); }}>{label}{sort.key === key ? (sort.up ? ' ▲' : ' ▼') : ''}</button>
    </th>
  );
  const set = (f: Partial<RowFilter>) => { onFilter({ ...filter, ...f }); setPage(0); };
  return (
    <div className="predictions-wrap">
      <div className="predictions-filters" role="group" aria-label="Filter predictions">
        {e.kind !== 'regression' && (
          <label><input type="checkbox" checked={filter.wrongOnly} aria-label="Wrong only" onChange={(x) => set({ wrongOnly: x.target.checked })} /> wrong only ({wrong.toLocaleString('en-US')})</label>
        )}
        <input type="search" placeholder="Search inputs and labels" aria-label="Search predictions" value={filter.text} onChange={(x) => set({ text: x.target.value })} />
        {(filter.truth || filter.predicted) && (
          <button type="button" className="chip" onClick={() => set({ truth: null, predicted: null })} aria-label="Clear the class filter">
            true {filter.truth ?? 'any'} → predicted {filter.predicted ?? 'any'} ✕
          </button>
        )}
        <span className="muted" aria-label="Rows shown">{rows.length.toLocaleString('en-US')} of {e.rows.length.toLocaleString('en-US')}</span>
      </div>
      <table className="train-table predictions eval-predictions" aria-label="All predictions">
        <thead>
          <tr>
            {head('i', '#', 'num')}{head('input', 'Input')}{head('truth', 'True')}{head('predicted', 'Predicted')}
            {e.kind === 'classes' && head('probability', 'p', 'num')}
            {(e.kind === 'tags' || e.kind === 'sequence') && head('score', 'steps right', 'num')}
            {e.kind === 'regression' && head('score', '|error|', 'num')}
          </tr>
        </thead>
        <tbody>
          {shown.map((r) => (
            <tr key={r.i} className={r.correct === false ? 'wrong' : r.correct ? 'right' : ''}>
              <td className="num muted">{r.i + 1}</td>
              {tags && r.tokens
                ? <td colSpan={3} className="tag-row">{r.tokens.map((t, k) => (
                    <span key={k} className={`tag-token ${t.truth === t.predicted ? '' : 'bad'}`} title={`true ${t.truth}, predicted ${t.predicted}`}>
                      {t.token}<small>{t.predicted}{t.truth === t.predicted ? '' : ` (${t.truth})`}</small>
                    </span>
                  ))}</td>
                : <>
                    <td className="pred-input" title={r.input}>{r.input}</td>
                    <td title={r.truth}>{r.truth}</td>
                    <td title={r.predicted}>{r.correct === false && <span className="wrong-mark" aria-label="wrong">✕ </span>}{r.predicted}</td>
                  </>}
              {e.kind === 'classes' && <td className="num">{r.probability?.toFixed(3)}</td>}
              {(e.kind === 'tags' || e.kind === 'sequence') && <td className="num">{r.stepAccuracy !== undefined ? `${Math.round(r.stepAccuracy * 100)}%` : ''}</td>}
              {e.kind === 'regression' && <td className="num">{score(r).toFixed(4)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
      {pages > 1 && (
        <div className="pager" role="group" aria-label="Pages">
          <button type="button" onClick={() => setPage(0)} disabled={at === 0} aria-label="First page">«</button>
          <button type="button" onClick={() => setPage(at - 1)} disabled={at === 0} aria-label="Previous page">‹</button>
          <span aria-label="Page">page {at + 1} of {pages}</span>
          <button type="button" onClick={() => setPage(at + 1)} disabled={at >= pages - 1} aria-label="Next page">›</button>
          <button type="button" onClick={() => setPage(pages - 1)} disabled={at >= pages - 1} aria-label="Last page">»</button>
        </div>
      )}
    </div>
  );
}
