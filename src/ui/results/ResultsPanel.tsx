/**
 * The Results tab: what the current model does, asked of the training worker (the last run's
 * weights, weights restored from a run or a file, or fresh ones — the badge says which):
 * Evaluate (confusion matrix, per-class report, every test prediction), Sample (next-token
 * models), Decode (encoder–decoder and one-to-many models, free-running), Try it (a typed input)
 * and Call (the graph on a sample or random input, as the lesson's `rnn_model(inputs)`).
 */
import { useEffect, useState, type ReactNode } from 'react';
import { datasetEntry } from '../../data/catalog.ts';
import type { TaskKind } from '../../data/tasks.ts';
import type { EditorState } from '../../store/index.ts';
import type { WeightsUsed } from '../../tf/train/workbench.ts';
import { useEditor } from '../context.ts';
import { useDatasetInUse } from '../train/readiness.ts';
import type { ResultsStore } from '../../store/resultsStore.ts';
import { useModelKey } from './ask.ts';
import { useResultsStore } from './context.ts';
import { CallView } from './CallView.tsx';
import { DecodeView } from './DecodeView.tsx';
import { EvaluationView } from './EvaluationView.tsx';
import { GenerateView } from './GenerateView.tsx';
import { TryView } from './TryView.tsx';
import './results.css';

/** The model each results store's answers were last shown for. */
const answeredFor = new WeakMap<ResultsStore, string>();

type View = 'evaluate' | 'generate' | 'decode' | 'try' | 'call';

const selectInputs = (s: EditorState) => s.graph.nodes.filter((n) => n.kind === 'Input').length;

export function ResultsPanel() {
  const dataset = useDatasetInUse();
  const inputs = useEditor(selectInputs);
  const task: TaskKind | undefined = dataset?.data?.task ?? (dataset ? datasetEntry(dataset.id)?.task : undefined);
  const views: { id: View; label: string; help: string }[] = [
    ...(dataset ? [{ id: 'evaluate' as const, label: 'Evaluate', help: 'Loss, accuracy, confusion matrix and every prediction on the test set' }] : []),
    ...(task === 'language-model' ? [{ id: 'generate' as const, label: 'Sample', help: 'Generate from a prompt at a temperature' }] : []),
    ...(task === 'seq2seq' || (task === 'vector-to-sequence' && inputs === 2) ? [{ id: 'decode' as const, label: 'Decode', help: 'Free-running decoding from the encoder\'s states (greedy, beam)' }] : []),
    ...(dataset ? [{ id: 'try' as const, label: 'Try it', help: 'Type an input and see the output as you type' }] : []),
    { id: 'call', label: 'Call', help: 'Run the graph on a sample or random input, trained or not' },
  ];
  const [picked, setPicked] = useState<View>(dataset ? 'evaluate' : 'call');
  // Answers about the model as it was are dropped when it changes (Evaluate and Try it ask again).
  // (Also when the model changed while the tab was closed: the key is kept with the store.)
  const results = useResultsStore();
  const model = useModelKey();
  useEffect(() => {
    const before = answeredFor.get(results);
    answeredFor.set(results, model);
    if (before === undefined || before === model) return;
    for (const k of ['generate', 'decode', 'decode-eval', 'call'] as const) results.getState().clear(k);
  }, [model, results]);
  const view = views.some((v) => v.id === picked) ? picked : views[0].id;
  return (
    <section className="results-panel" aria-label="Results">
      <div className="results-tabs" role="tablist" aria-label="Result views">
        {views.map((v) => (
          <button key={v.id} role="tab" aria-selected={view === v.id} title={v.help} onClick={() => setPicked(v.id)}>{v.label}</button>
        ))}
        <span className="muted results-dataset">{dataset ? <>on <b>{dataset.name}</b></> : 'no dataset: only Call works'}</span>
      </div>
      <div className="results-body" role="tabpanel" aria-label={views.find((v) => v.id === view)?.label}>
        {view === 'evaluate' && <EvaluationView />}
        {view === 'generate' && <GenerateView />}
        {view === 'decode' && <DecodeView task={task} />}
        {view === 'try' && <TryView task={task} />}
        {view === 'call' && <CallView hasDataset={!!dataset} />}
      </div>
    </section>
  );
}

const WEIGHTS_TEXT: Record<WeightsUsed, string> = {
  trained: 'the last run\'s trained weights',
  loaded: 'restored / loaded weights',
  fresh: 'fresh weights (untrained, seeded)',
};

/** Which weights answered. */
export function WeightsBadge({ weights }: { weights: WeightsUsed | undefined }) {
  if (!weights) return null;
  return <span className={`weights-badge ${weights}`} aria-label="Weights used" data-weights={weights}>{WEIGHTS_TEXT[weights]}</span>;
}

/** A request's problem, where it happened. */
export function ResultError({ error }: { error: string | null }) {
  if (!error) return null;
  return <p className="results-error" role="alert">{error}</p>;
}

export function Toolbar({ children }: { children: ReactNode }) {
  return <div className="results-toolbar">{children}</div>;
}
