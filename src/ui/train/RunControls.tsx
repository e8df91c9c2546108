/**
 * The run's controls and vital signs: the dataset in use, Train / Pause / Stop, the backend the
 * worker's TF.js reports (and why it was chosen), and progress with ms per batch.
 */
import type { ReactNode } from 'react';
import { isActive } from '../../store/trainStore.ts';
import type { TrainState } from '../../store/trainStore.ts';
import { useTrain, useTrainStore, useTrainThrottled } from './context.ts';
import { CHART_MS } from './TrainCharts.tsx';
import type { Readiness } from './readiness.ts';
import { backendSummary } from './runView.ts';

export function DatasetLine({ readiness, onOpenData }: { readiness: Readiness; onOpenData?: () => void }) {
  const ds = readiness.dataset;
  return (
    <div className={`train-dataset ${ds ? '' : 'missing'}`} aria-label="Dataset in use">
      <span className="train-label">Dataset</span>
      {ds
        ? <span className="train-dataset-name" title={ds.id}>{ds.name}</span>
        : <span className="train-dataset-name">None chosen: training needs one.</span>}
      {onOpenData && (
        <button type="button" className="link-button" onClick={onOpenData} aria-label={ds ? 'Change the dataset in the Data tab' : 'Pick a dataset in the Data tab'}>
          {ds ? 'Change' : 'Pick one in the Data tab'}
        </button>
      )}
    </div>
  );
}

export function RunButtons({ canTrain, onTrain, why, onContinue, continueWhy, more }: {
  canTrain: boolean; onTrain: () => void; why?: string;
  /** Continue the last run for `more` epochs (absent: no Continue button); `continueWhy`: why it cannot. */
  onContinue?: () => void; continueWhy?: string; more?: number;
}) {
  const train = useTrainStore();
  const status = useTrain((s) => s.status);
  const stopping = useTrain((s) => s.stopping);
  const active = isActive({ status });
  const canContinue = !active && !continueWhy && (status === 'done' || status === 'stopped');
  return (
    <div className="train-buttons" role="group" aria-label="Run controls">
      <button type="button" className="train-primary" onClick={onTrain} disabled={active || !canTrain}
        aria-label={status === 'idle' ? 'Train' : 'Train again'} title={!canTrain ? why : undefined}>
        <span aria-hidden>▶</span> {status === 'idle' || active ? 'Train' : 'Train again'}
      </button>
      {onContinue && status !== 'idle' && (
        <button type="button" onClick={onContinue} disabled={!canContinue || !canTrain} aria-label="Continue training"
          title={continueWhy ?? `Train ${more ?? ''} more epochs from the current weights and optimizer state (Keras: fit again)`}>
          <span aria-hidden>⏩</span> +{more} epochs
        </button>
      )}
      {status === 'paused'
        ? <button type="button" onClick={() => train.getState().resume()} aria-label="Resume training"><span aria-hidden>▶</span> Resume</button>
        : <button type="button" onClick={() => train.getState().pause()} disabled={status !== 'running' || stopping} aria-label="Pause training"><span aria-hidden>❚❚</span> Pause</button>}
      <button type="button" onClick={() => train.getState().stop()} disabled={!active || stopping} aria-label="Stop training">
        <span aria-hidden>■</span> {stopping ? 'Stopping…' : 'Stop'}
      </button>
    </div>
  );
}

export function BackendLine() {
  const backend = useTrain((s) => s.backend);
  const status = useTrain((s) => s.status);
  if (!backend) {
    return (
      <p className="train-backend muted" aria-label="Backend in use">
        Backend: {status === 'starting' ? 'loading TensorFlow.js in the worker…' : 'chosen when training starts'}
      </p>
    );
  }
  const b = backendSummary(backend);
  return (
    <p className={`train-backend ${b.fellBack ? 'fell-back' : ''}`} aria-label="Backend in use" title={backend.reason} data-backend={b.backend}>
      Backend: <b>{b.backend}</b> <span className="muted">({b.why})</span>
    </p>
  );
}

const all = (s: TrainState) => s;

const STATUS_TEXT = { idle: 'Ready', starting: 'Starting…', running: 'Training', paused: 'Paused', done: 'Done', stopped: 'Stopped', error: 'Failed' } as const;

/** Status, epoch/batch, ms per batch and the progress bar; `children` (the run buttons) lead the row. */
export function RunProgress({ children }: { children?: ReactNode }) {
  // Progress moves with every batch: render it at the charts' pace, not the worker's.
  const { status, progress: p, msPerBatch: ms, seconds, info } = useTrainThrottled(all, CHART_MS);
  const fraction = p ? Math.min(1, ((p.epoch - 1) * p.batches + p.batch) / (p.epochs * p.batches)) : 0;
  return (
    <div className="train-progress" aria-label="Progress">
      <div className="train-progress-head">
        {children}
        <span className="train-stats">
          {p && <span>Epoch {p.epoch}/{p.epochs} · batch {p.batch}/{p.batches}</span>}
          {ms !== null && <span className="muted" aria-label="Milliseconds per batch">{Math.round(ms)} ms/batch</span>}
        </span>
      </div>
      <div className="train-bar-row">
        <span className={`train-status ${status}`} role="status" aria-label="Run status">{STATUS_TEXT[status]}</span>
        <div className="train-bar" role="progressbar" aria-label="Training progress" aria-valuemin={0} aria-valuemax={100}
          aria-valuenow={Math.round(fraction * 100)}>
          <div className={`train-bar-fill ${status}`} style={{ transform: `scaleX(${fraction})` }} />
        </div>
        {seconds !== null && <span className="muted" aria-label="Training time">{seconds.toFixed(1)} s</span>}
      </div>
      {info && (
        <p className="train-info muted">
          {info.examples.train.toLocaleString('en-US')} train · {info.examples.val.toLocaleString('en-US')} val · {info.examples.test.toLocaleString('en-US')} test ·
          {' '}{info.params.toLocaleString('en-US')} params · loss <code>{info.loss}</code>{info.masked ? ' (masked)' : ''}
        </p>
      )}
    </div>
  );
}
