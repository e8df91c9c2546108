/**
 * Evaluate: loss and accuracy on a split next to what learning nothing scores; for classifiers and
 * taggers the confusion matrix (click a cell to list those predictions) and per-class precision /
 * recall / F1 with support; for regression the predictions against the truth; and every
 * prediction in a sortable, filterable, paged table. Evaluates on opening, after every finished
 * run, and on demand.
 */
import { useEffect, useRef, useState } from 'react';
import type { Evaluation } from '../../tf/train/workbench.ts';
import { useTrain } from '../train/context.ts';
import { useAsk, useModelKey } from './ask.ts';
import { useResults } from './context.ts';
import { PredictionsTable, type RowFilter } from './PredictionsTable.tsx';
import { ResultError, Toolbar, WeightsBadge } from './ResultsPanel.tsx';
import { ScatterPlot } from './ScatterPlot.tsx';

/** The padding class (id 0, an empty label) is named, not left blank. */
const shownLabel = (l: string) => (l === '' ? '(pad)' : l);

const pct = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '—' : `${(v * 100).toFixed(1)}%`);

export function EvaluationView() {
  const slot = useResults((s) => s.evaluate);
  const ask = useAsk();
  const [split, setSplit] = useState<'test' | 'val'>('test');
  const [filter, setFilter] = useState<RowFilter>({ wrongOnly: false, truth: null, predicted: null, text: '' });
  const run = useTrain((s) => s.run);
  const status = useTrain((s) => s.status);
  const model = useModelKey();
  const asked = useRef<string>('');
  // On opening, after each finished run, and when the model or its dataset changed (another
  // project, an edit, restored weights): the last answer belongs to the model as it was.
  useEffect(() => {
    const key = `${run}:${status}:${split}:${model}`;
    if (status === 'running' || status === 'starting' || status === 'paused' || asked.current === key) return;
    asked.current = key;
    ask({ op: 'evaluate', split });
  }, [run, status, split, model, ask]);
  const e = slot.result;
  return (
    <div className="evaluation">
      <Toolbar>
        <label>Split <select aria-label="Split" value={split} onChange={(x) => setSplit(x.target.value as 'test' | 'val')}><option value="test">test</option><option value="val">validation</option></select></label>
        <button type="button" onClick={() => ask({ op: 'evaluate', split })} disabled={slot.pending} aria-label="Evaluate">{slot.pending ? 'Evaluating…' : 'Evaluate'}</button>
        <WeightsBadge weights={e?.weights} />
        {e && <Headline e={e} />}
      </Toolbar>
      <ResultError error={slot.error} />
      {e && (
        <div className="evaluation-grid">
          <div className="evaluation-side">
            {e.confusion && e.labels.length <= 30 && <ConfusionMatrix e={e} filter={filter} onPick={(truth, predicted) => setFilter({ ...filter, truth, predicted, wrongOnly: false })} />}
            {e.report && <ClassReport e={e} />}
            {e.kind === 'regression' && <ScatterPlot rows={e.rows} />}
          </div>
          <PredictionsTable e={e} filter={filter} onFilter={setFilter} />
        </div>
      )}
    </div>
  );
}

function Headline({ e }: { e: Evaluation }) {
  const b = e.baseline;
  return (
    <span className="evaluation-headline" aria-label="Evaluation summary">
      <span>{e.split} loss <b aria-label="Evaluation loss">{e.loss.toFixed(4)}</b></span>
      {e.accuracy !== undefined && <span>accuracy <b aria-label="Evaluation accuracy">{pct(e.accuracy)}</b></span>}
      {b.majority && <span className="muted">majority class {pct(b.majority.accuracy)} · chance {pct(b.chance?.accuracy)}</span>}
      {b.mean && <span className="muted">always the mean: loss {b.mean.loss.toFixed(4)}</span>}
      <span className="muted">{e.rows.length.toLocaleString('en-US')} examples</span>
    </span>
  );
}

function ConfusionMatrix({ e, filter, onPick }: { e: Evaluation; filter: RowFilter; onPick: (truth: string | null, predicted: string | null) => void }) {
  const m = e.confusion!;
  const max = Math.max(1, ...m.flat());
  const present = e.labels.map((_, k) => m[k].some((v) => v > 0) || m.some((r) => r[k] > 0));
  const idx = e.labels.map((_, k) => k).filter((k) => present[k]);
  return (
    <figure className="confusion" aria-label="Confusion matrix">
      <figcaption>Confusion matrix <span className="muted">rows: true {e.kind === 'tags' ? 'tag' : 'class'} · columns: predicted · click a cell to list it</span></figcaption>
      <table>
        <thead><tr><th /> {idx.map((k) => <th key={k} title={e.labels[k]}>{shownLabel(e.labels[k])}</th>)}</tr></thead>
        <tbody>
          {idx.map((t) => (
            <tr key={t}>
              <th title={e.labels[t]}>{shownLabel(e.labels[t])}</th>
              {idx.map((p) => {
                const v = m[t][p];
                const on = filter.truth === e.labels[t] && filter.predicted === e.labels[p];
                return (
                  <td key={p} className={`${t === p ? 'diag' : ''} ${on ? 'on' : ''}`} style={{ ['--w' as string]: String(v / max) }}>
                    <button type="button" onClick={() => (on ? onPick(null, null) : onPick(e.labels[t], e.labels[p]))} aria-label={`true ${shownLabel(e.labels[t])}, predicted ${shownLabel(e.labels[p])}: ${v}`} disabled={!v}>{v}</button>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

function ClassReport({ e }: { e: Evaluation }) {
  const r = e.report!;
  const f = (v: number) => v.toFixed(3);
  return (
    <table className="train-table class-report" aria-label="Per-class precision, recall and F1">
      <thead><tr><th>{e.kind === 'tags' ? 'Tag' : 'Class'}</th><th className="num">precision</th><th className="num">recall</th><th className="num">F1</th><th className="num">support</th></tr></thead>
      <tbody>
        {r.classes.filter((c) => c.support > 0 || c.precision > 0).map((c) => (
          <tr key={c.label}><td>{shownLabel(c.label)}</td><td className="num">{f(c.precision)}</td><td className="num">{f(c.recall)}</td><td className="num">{f(c.f1)}</td><td className="num">{c.support}</td></tr>
        ))}
        <tr className="avg"><td>macro avg</td><td className="num">{f(r.macro.precision)}</td><td className="num">{f(r.macro.recall)}</td><td className="num">{f(r.macro.f1)}</td><td className="num">{r.macro.support}</td></tr>
        <tr className="avg"><td>weighted avg</td><td className="num">{f(r.weighted.precision)}</td><td className="num">{f(r.weighted.recall)}</td><td className="num">{f(r.weighted.f1)}</td><td className="num">{r.weighted.support}</td></tr>
      </tbody>
    </table>
  );
}

