/**
 * The Runs tab: every kept training run (this session's and earlier ones, from IndexedDB), newest
 * first, with its model, dataset, epochs, test result, when and how much storage it takes. Tick
 * runs to draw them on the Train charts next to the live one (SimpleRNN against LSTM); rename a
 * run; Restore puts its graph, settings and weights back into the editor (one undo step for the
 * graph; Try it, Evaluate and the next Train start from those weights); Delete frees its storage.
 */
import { useState } from 'react';
import { datasetEntry } from '../../data/catalog.ts';
import { formatMB, type RunMeta } from '../../store/runs.ts';
import { useActions, useEditorStore } from '../context.ts';
import { useWeightsStore } from '../model/context.ts';
import { useRuns, useRunsStore } from './context.ts';
import { runColor } from './overlay.ts';
import './runs.css';

const pct = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '—' : `${(v * 100).toFixed(1)}%`);
const when = (iso: string) => {
  const d = new Date(iso);
  return `${d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short' })} ${d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' })}`;
};

const STATUS: Record<RunMeta['status'], string> = { running: 'training', done: 'done', stopped: 'stopped', error: 'failed', interrupted: 'interrupted' };

export function RunsPanel({ onShowTrain }: { onShowTrain?: () => void }) {
  const runs = useRuns((s) => s.runs);
  const loaded = useRuns((s) => s.loaded);
  const overlay = useRuns((s) => s.overlay);
  const usage = useRuns((s) => s.usage);
  const message = useRuns((s) => s.message);
  const store = useRunsStore();
  const editor = useEditorStore();
  const actions = useActions();
  const weights = useWeightsStore();
  const [busy, setBusy] = useState<string | null>(null);

  const restore = async (r: RunMeta) => {
    setBusy(r.id);
    try {
      const got = await store.getState().restore(r.id);
      if (!got) return;
      const { record, weights: ws } = got;
      actions.replaceGraph(record.graph);
      actions.setTraining(record.settings);
      if (datasetEntry(record.dataset.id)) actions.setDataset({ id: record.dataset.id, options: {} });
      if (ws) weights.getState().set(ws, editor.getState().name);
      editor.getState().notify('info', ws
        ? `Restored "${r.name}": its graph, settings and trained weights. Try it and Evaluate use them; Train starts from them.`
        : `Restored "${r.name}": its graph and settings (its weights were not kept${r.weightsNote ? `: ${r.weightsNote}` : ''}).`);
    } finally {
      setBusy(null);
    }
  };

  if (!loaded) return <p className="muted runs-empty">Reading the kept runs…</p>;
  return (
    <section className="runs-panel" aria-label="Runs">
      <div className="runs-head">
        <p className="muted">
          {runs.length ? `${runs.length} run${runs.length === 1 ? '' : 's'} kept in this browser` : 'No runs yet: every training run is kept here, with its curves, results and weights.'}
          {usage && runs.length > 0 && <> · {formatMB(usage.bytes)} of {formatMB(usage.limit)}</>}
          {overlay.length > 0 && <> · {overlay.length} on the charts {onShowTrain && <button type="button" className="link-button" onClick={onShowTrain}>Show the charts</button>}</>}
        </p>
        {message && (
          <p className="runs-message" role="alert">{message} <button type="button" className="link-button" onClick={() => store.getState().clearMessage()}>Dismiss</button></p>
        )}
      </div>
      {runs.length > 0 && (
        <table className="train-table runs-table" aria-label="Kept runs">
          <thead>
            <tr>
              <th title="Draw on the Train charts">Chart</th><th>Run</th><th>Dataset</th><th className="num">Epochs</th>
              <th className="num">Test acc.</th><th className="num">Test loss</th><th>When</th><th className="num">Size</th><th />
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => {
              const k = overlay.indexOf(r.id);
              return (
                <tr key={r.id} data-run={r.id} aria-label={r.name}>
                  <td>
                    <input type="checkbox" checked={k >= 0} aria-label={`Show ${r.name} on the charts`}
                      onChange={() => void store.getState().toggleOverlay(r.id)} />
                    {k >= 0 && <i className="run-swatch" style={{ background: runColor(k) }} aria-hidden />}
                  </td>
                  <td className="run-name-cell">
                    <RunName run={r} onRename={(name) => void store.getState().rename(r.id, name)} />
                    <span className="muted run-model" title={r.summary.text}>{r.summary.params !== null ? `${r.summary.params.toLocaleString('en-US')} params · ` : ''}{r.settings.optimizer} {r.settings.learning_rate}</span>
                  </td>
                  <td title={r.dataset.id}>{r.dataset.name}</td>
                  <td className="num">{r.curves.epochs.length}{r.curves.totalEpochs > r.curves.epochs.length ? `/${r.curves.totalEpochs}` : ''}</td>
                  <td className="num">{pct(r.test?.accuracy)}</td>
                  <td className="num">{r.test ? r.test.loss.toFixed(4) : '—'}</td>
                  <td><span className={`run-status ${r.status}`}>{STATUS[r.status]}</span> <span className="muted">{when(r.createdAt)}</span></td>
                  <td className="num" title={r.weightBytes === null ? r.weightsNote ?? 'weights not kept' : 'with its weights'}>{formatMB(r.bytes)}{r.weightBytes === null ? ' *' : ''}</td>
                  <td className="run-actions">
                    <button type="button" onClick={() => void restore(r)} disabled={busy !== null || r.status === 'running'} aria-label={`Restore ${r.name}`}>Restore</button>
                    <button type="button" onClick={() => void store.getState().remove(r.id)} disabled={r.status === 'running'} aria-label={`Delete ${r.name}`}>Delete</button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {runs.some((r) => r.weightBytes === null) && <p className="muted runs-foot">* weights not kept (the run failed early, or storage was full).</p>}
    </section>
  );
}

function RunName({ run, onRename }: { run: RunMeta; onRename: (name: string) => void }) {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(run.name);
  if (!editing) {
    return (
      <button type="button" className="run-name" title="Rename" aria-label={`Rename ${run.name}`} onClick={() => { setText(run.name); setEditing(true); }}>
        {run.name}
      </button>
    );
  }
  const done = () => {
    setEditing(false);
    if (text.trim() && text.trim() !== run.name) onRename(text.trim());
  };
  return (
    <input className="run-name-input" autoFocus value={text} aria-label="Run name" onChange={(e) => setText(e.target.value)}
      onBlur={done} onKeyDown={(e) => { if (e.key === 'Enter') done(); if (e.key === 'Escape') setEditing(false); }} />
  );
}
