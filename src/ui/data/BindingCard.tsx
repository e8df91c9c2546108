/**
 * The model against the dataset: every disagreement in words (the data layer's `checkBinding`),
 * each naming its node (click selects it), and "Fit model to data", which applies `bindDataset`
 * as one undoable step and lists what it changed.
 */
import { useMemo, useState } from 'react';
import { bindDataset, checkBinding } from '../../data/bind.ts';
import type { Issue } from '../../core/types.ts';
import { selectGraph } from '../../store/index.ts';
import { useActions, useEditor, useEditorStore } from '../context.ts';
import { IssueList } from '../panels/IssueList.tsx';
import { useData } from './context.ts';

export function BindingCard({ onFocus }: { onFocus: (nodeId: string) => void }) {
  const dataset = useData((s) => s.dataset);
  const graph = useEditor(selectGraph);
  const store = useEditorStore();
  const actions = useActions();
  const [done, setDone] = useState<{ for: object; changes: readonly string[]; left: number } | null>(null);
  const problems = useMemo(() => (dataset ? checkBinding(graph, dataset) : []), [graph, dataset]);
  const issues: Issue[] = problems.map((p) => ({ code: 'data-binding', severity: 'warning', nodeId: p.nodeId, message: p.message, fix: p.fix }));
  if (!dataset) return null;
  const shown = done?.for === dataset ? done : null;

  const fit = () => {
    const r = bindDataset(store.getState().graph, dataset);
    actions.replaceGraph(r.graph);
    setDone({ for: dataset, changes: r.changes, left: r.problems.length });
    if (r.changes.length) actions.notify('success', `Fitted the model to ${dataset.name}: ${r.changes.join('; ')}. Undo with Ctrl+Z.`);
  };

  return (
    <section className="data-card" aria-label="Model and data">
      <h3>Model ↔ data</h3>
      {problems.length === 0
        ? <p className="ok-line">✓ The model fits this dataset: inputs, vocabulary and outputs agree.</p>
        : <IssueList issues={issues} onPick={(i) => i.nodeId && onFocus(i.nodeId)} />}
      <div className="bind-actions">
        <button type="button" className="data-button primary" onClick={fit} disabled={problems.length === 0}>Fit model to data</button>
        <span className="muted data-small">Sets the Input, the vocabulary size and the output units; one undo step.</span>
      </div>
      {shown && shown.changes.length > 0 && (
        <ul className="bind-changes" aria-label="Changes made">
          {shown.changes.map((c) => <li key={c}>{c}</li>)}
        </ul>
      )}
      {shown && shown.left > 0 && <p className="muted data-small">Left for you: the problems above could not be filled in automatically.</p>}
    </section>
  );
}
