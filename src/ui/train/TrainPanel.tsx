/**
 * The Train tab of the bottom dock: settings, dataset and run controls on the left, live loss and
 * accuracy charts in the middle, the outcome on the right (what blocks training, errors, epoch
 * results, test metrics, predictions).
 *
 * Editing the graph during a run does not stop it: the run trains the snapshot taken when Train
 * was pressed, and the panel says that the charts are from the previous model until the next run
 * (stopping on every edit would throw away a run because a node was renamed or a size tried out).
 */
import { useMemo } from 'react';
import type { Issue } from '../../core/types.ts';
import type { EditorState } from '../../store/index.ts';
import { isActive } from '../../store/trainStore.ts';
import { useEditor } from '../context.ts';
import { useTrain } from './context.ts';
import { useReadiness, useStartRun } from './readiness.ts';
import { BackendLine, DatasetLine, RunButtons, RunProgress } from './RunControls.tsx';
import { graphSignature } from './runView.ts';
import { TrainCharts } from './TrainCharts.tsx';
import { Blockers, EpochTable, RunErrorBox, TestResults } from './TrainResults.tsx';
import { TrainSettings } from './TrainSettings.tsx';
import { AdvancedSettings } from './AdvancedSettings.tsx';
import './train.css';

export interface TrainPanelProps {
  /** Switches the dock to the Data tab (dataset choice, "Fit model to data"). */
  readonly onOpenData?: () => void;
  /** Selects a node on the canvas and brings it into view. */
  readonly onFocusNode?: (id: string) => void;
}

export function TrainPanel({ onOpenData, onFocusNode }: TrainPanelProps) {
  const readiness = useReadiness();
  const start = useStartRun(readiness.dataset);
  const more = useStartRun(readiness.dataset, true);
  const continueWhy = useContinueWhy();
  const epochs = useEditor(selectEpochs);
  const status = useTrain((s) => s.status);
  const error = useTrain((s) => s.error);
  const stoppedAt = useTrain((s) => s.stoppedAt);
  const active = isActive({ status });
  const why = readiness.errors.length ? 'Fix the issues first' : !readiness.dataset ? 'Choose a dataset first (Data tab)' : readiness.binding.length ? 'The model does not fit the dataset' : undefined;
  const pick = (i: Issue) => { if (i.nodeId) onFocusNode?.(i.nodeId); };
  return (
    <section className="train-panel" aria-label="Train">
      <div className="train-side">
        <DatasetLine readiness={readiness} onOpenData={onOpenData} />
        <TrainSettings locked={active} />
        <AdvancedSettings locked={active} />
        <BackendLine />
      </div>
      <div className="train-main">
        <RunProgress><RunButtons canTrain={readiness.canTrain} onTrain={start} why={why} onContinue={more} continueWhy={continueWhy} more={epochs} /></RunProgress>
        <StaleNote />
        <TrainCharts />
      </div>
      <div className="train-results" aria-label="Training results">
        {!active && <Blockers errors={readiness.errors} binding={readiness.binding} onPickIssue={pick} onOpenData={onOpenData} />}
        {error && <RunErrorBox error={error} onOpenData={onOpenData} />}
        {status === 'stopped' && stoppedAt && (
          <p className="train-note" role="status">Stopped before epoch {stoppedAt.epoch}, batch {stoppedAt.batch}. The weights trained so far can be exported (Export menu).</p>
        )}
        <EpochTable />
        <TestResults />
        {status === 'idle' && !readiness.errors.length && (
          <p className="train-placeholder muted">Press <b>Train</b>: the graph compiles into a TensorFlow.js model that trains in a background worker. Epoch results, test accuracy and predictions appear here.</p>
        )}
        {active && <p className="train-placeholder muted">Test loss, accuracy and predictions appear when the last epoch ends.</p>}
      </div>
    </section>
  );
}

const selectGraph = (s: EditorState) => s.graph;
const selectEpochs = (s: EditorState) => s.extras.training.epochs;

/** Why the last run cannot be continued (the graph changed, no weights), or undefined. */
function useContinueWhy(): string | undefined {
  const graph = useEditor(selectGraph);
  const trained = useTrain((s) => s.graph);
  const exportable = useTrain((s) => s.exportable);
  const now = useMemo(() => graphSignature(graph), [graph]);
  const then = useMemo(() => (trained ? graphSignature(trained) : null), [trained]);
  if (!exportable) return 'Nothing trained to continue yet';
  if (then !== now) return 'The graph changed since the last run: train from scratch';
  return undefined;
}

/** Says when the canvas no longer shows the model the charts belong to. */
function StaleNote() {
  const graph = useEditor(selectGraph);
  const trained = useTrain((s) => s.graph);
  const status = useTrain((s) => s.status);
  const now = useMemo(() => graphSignature(graph), [graph]);
  const then = useMemo(() => (trained ? graphSignature(trained) : now), [trained, now]);
  if (status === 'idle' || now === then) return null;
  return (
    <p className="train-stale" role="status" aria-label="Charts are from the previous model">
      The graph changed since this run started: {isActive({ status }) ? 'the run keeps training the model as it was, and these' : 'these'} charts and results are from the previous model. Train again to use your edits.
    </p>
  );
}
