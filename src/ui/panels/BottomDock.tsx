/**
 * Under the canvas: the live Keras-style model summary (table, or the exact `model.summary()` text),
 * the list of all issues, the Data panel and the Train panel (each loaded when its tab is first
 * opened). Clicking a row or an issue selects its node and brings it into view.
 */
import { lazy, Suspense, useMemo, useRef, useState } from 'react';
import { useReactFlow } from '@xyflow/react';
import { formatSummary } from '../../core/summary.ts';
import { selectIssues, selectSelected, selectSummary } from '../../store/index.ts';
import { useActions, useEditor } from '../context.ts';
import { IssueList } from './Inspector.tsx';
import { useRowWindow } from './useRowWindow.ts';

/** Height of a summary row in a windowed table (styles.css `.summary.windowed`). */
const SUMMARY_ROW = 29;

const DataPanel = lazy(() => import('../data/DataPanel.tsx'));
const TrainPanel = lazy(() => import('../train/TrainPanel.tsx').then((m) => ({ default: m.TrainPanel })));
const InsidePanel = lazy(() => import('../inside/InsidePanel.tsx').then((m) => ({ default: m.InsidePanel })));

export function BottomDock() {
  const [tab, setTab] = useState<'summary' | 'issues' | 'data' | 'train' | 'inside'>('summary');
  const [text, setText] = useState(false);
  const issues = useEditor(selectIssues);
  const errors = issues.filter((i) => i.severity === 'error').length;
  const actions = useActions();
  const rf = useReactFlow();
  const focus = (id: string) => {
    actions.select([id]);
    rf.fitView({ nodes: [{ id }], duration: 250, maxZoom: rf.getZoom(), minZoom: rf.getZoom() });
  };
  return (
    <section className="dock" aria-label="Model summary and issues" data-tab={tab}>
      <div className="dock-tabs" role="tablist">
        <button role="tab" aria-selected={tab === 'summary'} onClick={() => setTab('summary')}>Summary</button>
        <button role="tab" aria-selected={tab === 'issues'} onClick={() => setTab('issues')}>
          Issues <span className={`count ${errors ? 'error' : issues.length ? 'warning' : 'ok'}`}>{issues.length}</span>
        </button>
        <button role="tab" aria-selected={tab === 'data'} onClick={() => setTab('data')}>Data</button>
        <button role="tab" aria-selected={tab === 'train'} onClick={() => setTab('train')}>Train</button>
        <button role="tab" aria-selected={tab === 'inside'} onClick={() => setTab('inside')}>Inside</button>
        {tab === 'summary' && (
          <label className="dock-option">
            <input type="checkbox" checked={text} onChange={(e) => setText(e.target.checked)} aria-label="Show as Keras text" /> Keras text
          </label>
        )}
      </div>
      <div className="dock-body" role="tabpanel">
        {tab === 'inside' ? <Suspense fallback={<p className="muted ok-text">Loading…</p>}><InsidePanel /></Suspense>
          : tab === 'train' ? <Suspense fallback={<p className="muted ok-text">Loading…</p>}><TrainPanel onOpenData={() => setTab('data')} onFocusNode={focus} /></Suspense>
          : tab === 'data' ? <Suspense fallback={<p className="muted ok-text">Loading…</p>}><DataPanel onFocus={focus} /></Suspense>
          : tab === 'summary' ? <Summary text={text} onPick={focus} /> : issues.length
          ? <IssueList issues={issues} onPick={(i) => i.nodeId && focus(i.nodeId)} />
          : <p className="muted ok-text">No issues: the model is ready to train.</p>}
      </div>
    </section>
  );
}

function Summary({ text, onPick }: { text: boolean; onPick: (id: string) => void }) {
  const summary = useEditor(selectSummary);
  const selected = useEditor(selectSelected);
  const body = useRef<HTMLTableSectionElement>(null);
  const w = useRowWindow(text ? 0 : summary.rows.length, SUMMARY_ROW, body);
  const printed = useMemo(() => (text ? formatSummary(summary) : ''), [text, summary]);
  if (text) return <pre className="summary-text" aria-label="Keras summary text">{printed}</pre>;
  const cols = summary.sequentialLike ? 3 : 4;
  return (
    <table className={`summary ${w.windowed ? 'windowed' : ''}`} aria-label="Model summary" aria-rowcount={summary.rows.length + 2}>
      <thead>
        <tr><th>Layer (type)</th><th>Output Shape</th><th className="num">Param #</th>{!summary.sequentialLike && <th>Connected to</th>}</tr>
      </thead>
      <tbody ref={body}>
        {w.before > 0 && <tr aria-hidden style={{ height: w.before }}><td colSpan={cols} /></tr>}
        {summary.rows.slice(w.start, w.end).map((r) => (
          <tr key={r.key} className={selected.includes(r.nodeId) ? 'selected' : ''} onClick={() => onPick(r.nodeId)}
            tabIndex={0} onKeyDown={(e) => { if (e.key === 'Enter') onPick(r.nodeId); }} aria-label={`${r.name} (${r.kerasClass})`}>
            <td><span className="row-name">{r.name}</span> <span className="muted">({r.kerasClass})</span></td>
            <td><code>{r.outputShape}</code></td>
            <td className="num">{r.params === null ? '0 (unbuilt)' : r.params.toLocaleString('en-US')}</td>
            {!summary.sequentialLike && <td className="muted" title={w.windowed ? r.connectedTo.join(', ') : undefined}>{r.connectedTo.join(', ') || '-'}</td>}
          </tr>
        ))}
        {w.after > 0 && <tr aria-hidden style={{ height: w.after }}><td colSpan={cols} /></tr>}
      </tbody>
      <tfoot>
        <tr><td colSpan={4}>
          Total params: <b>{summary.total.toLocaleString('en-US')}</b> · Trainable: {summary.trainable.toLocaleString('en-US')} · Non-trainable: {summary.nonTrainable.toLocaleString('en-US')}
        </td></tr>
      </tfoot>
    </table>
  );
}
