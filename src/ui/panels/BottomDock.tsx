/**
 * Under the canvas and the inspector: the live Keras-style model summary (table, or the exact
 * `model.summary()` text), the list of all issues, the Data, Train and Inside panels (each loaded
 * when its tab is first opened). Clicking a row or an issue selects its node, brings it into view
 * and opens the inspector.
 *
 * The dock is resized by its top edge (drag, or arrow keys on the handle); each tab keeps its own
 * height (DOCK_HEIGHTS are the first-time heights; a new tab adds its own), remembered in this
 * browser, and never leaves the canvas less than MIN_CANVAS pixels.
 */
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { useReactFlow } from '@xyflow/react';
import { sequentialChain } from '../../core/sequential.ts';
import { formatSummary, summarize } from '../../core/summary.ts';
import { selectGraph, selectIssues, selectSelected, selectSummary } from '../../store/index.ts';
import { useActions, useEditor } from '../context.ts';
import { IssueList } from './IssueList.tsx';
import { useRowWindow } from './useRowWindow.ts';

/** Height of a summary row in a windowed table (styles.css `.summary.windowed`). */
const SUMMARY_ROW = 29;

const DataPanel = lazy(() => import('../data/DataPanel.tsx'));
const TrainPanel = lazy(() => import('../train/TrainPanel.tsx').then((m) => ({ default: m.TrainPanel })));
const InsidePanel = lazy(() => import('../inside/InsidePanel.tsx').then((m) => ({ default: m.InsidePanel })));
type InsideView = import('../inside/InsidePanel.tsx').InsideView;
const ResultsPanel = lazy(() => import('../results/ResultsPanel.tsx').then((m) => ({ default: m.ResultsPanel })));
const RunsPanel = lazy(() => import('../runs/RunsPanel.tsx').then((m) => ({ default: m.RunsPanel })));

export type DockTab = 'summary' | 'issues' | 'data' | 'train' | 'results' | 'runs' | 'inside';

/** Each tab's height (px) until the user resizes it. */
export const DOCK_HEIGHTS: Record<DockTab, number> = { summary: 210, issues: 210, data: 400, train: 350, results: 400, runs: 300, inside: 400 };
/** The toolbar's height and the least canvas the dock leaves above it. */
const TOOLBAR = 52;
export const MIN_CANVAS = 160;
const MIN_DOCK = 120;
const STORAGE = 'unroll.dock.heights';

function savedHeights(): Partial<Record<DockTab, number>> {
  try {
    const v = JSON.parse(localStorage.getItem(STORAGE) ?? '{}') as unknown;
    return v && typeof v === 'object' ? v as Partial<Record<DockTab, number>> : {};
  } catch {
    return {};
  }
}

/** The window's height, followed. */
function useViewportHeight(): number {
  const [h, setH] = useState(() => window.innerHeight);
  useEffect(() => {
    const on = () => setH(window.innerHeight);
    addEventListener('resize', on);
    return () => removeEventListener('resize', on);
  }, []);
  return h;
}

/**
 * The open tab is the dock's own, unless the frame controls it (`tab` + `onTab`: the lesson opens the
 * Train tab). `insideView` opens the Inside tab at a view (a new `n` opens it again).
 */
export function BottomDock(props: { onInspect?: () => void; tab?: DockTab; onTab?: (t: DockTab) => void; insideView?: { view: InsideView; n: number } } = {}) {
  const { onInspect } = props;
  const [own, setOwn] = useState<DockTab>('summary');
  const tab = props.tab ?? own;
  const setTab = props.onTab ?? setOwn;
  const [text, setText] = useState(false);
  const [sequential, setSequential] = useState(false);
  const [heights, setHeights] = useState(savedHeights);
  const viewport = useViewportHeight();
  const max = Math.max(MIN_DOCK, viewport - TOOLBAR - MIN_CANVAS);
  const height = Math.round(Math.min(max, Math.max(MIN_DOCK, heights[tab] ?? DOCK_HEIGHTS[tab])));
  const resize = useCallback((h: number) => {
    setHeights((old) => {
      const next = { ...old, [tab]: Math.round(Math.min(max, Math.max(MIN_DOCK, h))) };
      try {
        localStorage.setItem(STORAGE, JSON.stringify(next));
      } catch {
        // storage refused: the height holds for this visit
      }
      return next;
    });
  }, [tab, max]);
  const issues = useEditor(selectIssues);
  const errors = issues.filter((i) => i.severity === 'error').length;
  const actions = useActions();
  const rf = useReactFlow();
  const focus = (id: string) => {
    actions.select([id]);
    onInspect?.();
    rf.fitView({ nodes: [{ id }], duration: 250, maxZoom: rf.getZoom(), minZoom: rf.getZoom() });
  };
  return (
    <section className="dock" aria-label="Model summary and issues" data-tab={tab} style={{ height }}>
      <ResizeHandle height={height} min={MIN_DOCK} max={max} onResize={resize} />
      <div className="dock-tabs" role="tablist">
        <button role="tab" aria-selected={tab === 'summary'} onClick={() => setTab('summary')}>Summary</button>
        <button role="tab" aria-selected={tab === 'issues'} onClick={() => setTab('issues')}>
          Issues <span className={`count ${errors ? 'error' : issues.length ? 'warning' : 'ok'}`}>{issues.length}</span>
        </button>
        <button role="tab" aria-selected={tab === 'data'} onClick={() => setTab('data')}>Data</button>
        <button role="tab" aria-selected={tab === 'train'} onClick={() => setTab('train')}>Train</button>
        <button role="tab" aria-selected={tab === 'results'} onClick={() => setTab('results')}>Results</button>
        <button role="tab" aria-selected={tab === 'runs'} onClick={() => setTab('runs')}>Runs</button>
        <button role="tab" aria-selected={tab === 'inside'} onClick={() => setTab('inside')}>Inside</button>
        {tab === 'summary' && <SequentialOption on={sequential} onChange={setSequential} />}
        {tab === 'summary' && (
          <label className="dock-option">
            <input type="checkbox" checked={text} onChange={(e) => setText(e.target.checked)} aria-label="Show as Keras text" /> Keras text
          </label>
        )}
      </div>
      <div className="dock-body" role="tabpanel">
        {tab === 'inside' ? <Suspense fallback={<p className="muted ok-text">Loading…</p>}><InsidePanel key={props.insideView?.n ?? 0} initialView={props.insideView?.view} /></Suspense>
          : tab === 'results' ? <Suspense fallback={<p className="muted ok-text">Loading…</p>}><ResultsPanel /></Suspense>
          : tab === 'runs' ? <Suspense fallback={<p className="muted ok-text">Loading…</p>}><RunsPanel onShowTrain={() => setTab('train')} /></Suspense>
          : tab === 'train' ? <Suspense fallback={<p className="muted ok-text">Loading…</p>}><TrainPanel onOpenData={() => setTab('data')} onFocusNode={focus} /></Suspense>
          : tab === 'data' ? <Suspense fallback={<p className="muted ok-text">Loading…</p>}><DataPanel onFocus={focus} /></Suspense>
          : tab === 'summary' ? <Summary text={text} sequential={sequential} onPick={focus} /> : issues.length
          ? <IssueList issues={issues} onPick={(i) => i.nodeId && focus(i.nodeId)} />
          : <p className="muted ok-text">No issues: the model is ready to train.</p>}
      </div>
    </section>
  );
}

/** The dock's top edge: drag it, or focus it and use the arrow keys (Shift: bigger steps), Home/End. */
function ResizeHandle({ height, min, max, onResize }: { height: number; min: number; max: number; onResize: (h: number) => void }) {
  const start = useRef<{ y: number; h: number } | null>(null);
  const down = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    e.preventDefault();
    e.currentTarget.setPointerCapture(e.pointerId);
    start.current = { y: e.clientY, h: height };
  };
  const move = (e: PointerEvent<HTMLDivElement>) => {
    if (start.current) onResize(start.current.h + start.current.y - e.clientY);
  };
  const up = () => { start.current = null; };
  const key = (e: KeyboardEvent<HTMLDivElement>) => {
    const step = e.shiftKey ? 80 : 20;
    const to = { ArrowUp: height + step, ArrowDown: height - step, Home: max, End: min }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    onResize(to);
  };
  return (
    <div className="dock-resize" role="separator" aria-orientation="horizontal" aria-label="Resize the bottom panel" tabIndex={0}
      aria-valuemin={min} aria-valuemax={max} aria-valuenow={height} title="Drag to resize (or focus and use ↑ ↓)"
      onPointerDown={down} onPointerMove={move} onPointerUp={up} onPointerCancel={up} onKeyDown={key} />
  );
}

/**
 * The lesson's form: a chain of layers (core/sequential.ts) can be shown as the summary that
 * keras.Sequential prints (no InputLayer row, three columns), as `unroll summary --sequential`
 * prints it. Anything else is functional, and the option says why.
 */
function SequentialOption({ on, onChange }: { on: boolean; onChange: (on: boolean) => void }) {
  const graph = useEditor(selectGraph);
  const chain = useMemo(() => sequentialChain(graph), [graph]);
  return (
    <label className="dock-option" title={chain.ok ? 'Show what keras.Sequential([...]) with these layers prints, as the lesson builds it' : `Only a chain of layers is a Sequential model: ${chain.reason}`}>
      <input type="checkbox" checked={on && chain.ok} disabled={!chain.ok} onChange={(e) => onChange(e.target.checked)} aria-label="Show as a Sequential model" /> Sequential
    </label>
  );
}

function Summary({ text, sequential, onPick }: { text: boolean; sequential: boolean; onPick: (id: string) => void }) {
  const functional = useEditor(selectSummary);
  const graph = useEditor(selectGraph);
  const inference = useEditor((s) => s.inference);
  const asSequential = useMemo(() => sequential && sequentialChain(graph).ok, [sequential, graph]);
  const summary = useMemo(() => (asSequential ? summarize(graph, inference, { as: 'sequential' }) : functional), [asSequential, graph, inference, functional]);
  const selected = useEditor(selectSelected);
  const body = useRef<HTMLTableSectionElement>(null);
  const w = useRowWindow(text ? 0 : summary.rows.length, SUMMARY_ROW, body);
  const printed = useMemo(() => (text ? formatSummary(summary) : ''), [text, summary]);
  if (text) return <pre className="summary-text" aria-label="Keras summary text" data-scroll-x>{printed}</pre>;
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
