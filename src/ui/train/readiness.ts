/**
 * What the Train panel needs before a run: the graph's errors (a graph with errors does not
 * train), the dataset in use and, when the data itself is at hand, how it disagrees with the graph
 * (`checkBinding`). `useStartRun()` starts a run on a snapshot of the document.
 */
import { useCallback, useMemo } from 'react';
import type { Issue } from '../../core/types.ts';
import { checkBinding, type BindingProblem } from '../../data/bind.ts';
import { datasetEntry } from '../../data/catalog.ts';
import type { Dataset } from '../../data/tasks.ts';
import { CSV_ENTRY } from '../../store/dataStore.ts';
import { selectIssues, type EditorState } from '../../store/index.ts';
import { useEditor, useEditorStore } from '../context.ts';
import { useTrainStore } from './context.ts';
import { useDataPanelDataset } from './useDataPanel.ts';

export interface DatasetInUse {
  readonly id: string;
  readonly name: string;
  /** The data, when the Data panel has it (catalog datasets also load by id in the worker). */
  readonly data: Dataset | null;
  /** A CSV built in the Data panel: the data goes to the worker (it has no catalog id). */
  readonly uploaded: boolean;
}

export interface Readiness {
  readonly errors: readonly Issue[];
  readonly dataset: DatasetInUse | null;
  readonly binding: readonly BindingProblem[];
  readonly canTrain: boolean;
}

const selectDatasetChoice = (s: EditorState) => s.extras.dataset;
const selectGraph = (s: EditorState) => s.graph;

/**
 * The dataset the project trains on: an upload built in the Data panel, else the project's catalog
 * choice (with its data when the Data panel has loaded it, for checking the binding up front).
 */
export function useDatasetInUse(): DatasetInUse | null {
  const choice = useEditor(selectDatasetChoice);
  const panel = useDataPanelDataset();
  return useMemo(() => {
    if (panel.entry === CSV_ENTRY && panel.dataset) return { id: panel.dataset.id, name: panel.dataset.name, data: panel.dataset, uploaded: true };
    if (!choice) return null;
    const data = panel.dataset && panel.entry === choice.id ? panel.dataset : null;
    return { id: choice.id, name: datasetEntry(choice.id)?.name ?? choice.id, data, uploaded: false };
  }, [choice, panel.entry, panel.dataset]);
}

export function useReadiness(): Readiness {
  const issues = useEditor(selectIssues);
  const graph = useEditor(selectGraph);
  const dataset = useDatasetInUse();
  const errors = useMemo(() => issues.filter((i) => i.severity === 'error'), [issues]);
  const binding = useMemo(() => (dataset?.data && !errors.length ? checkBinding(graph, dataset.data) : []), [dataset, graph, errors.length]);
  return { errors, dataset, binding, canTrain: !errors.length && !!dataset && !binding.length };
}

/** Starts a run on the document as it is now (graph, settings, dataset choice); `more` continues the last one. */
export function useStartRun(dataset: DatasetInUse | null, more = false): () => void {
  const editor = useEditorStore();
  const train = useTrainStore();
  return useCallback(() => {
    const s = editor.getState();
    const uploaded = dataset?.uploaded && dataset.data ? dataset.data : undefined;
    const project = { graph: s.graph, training: s.extras.training, dataset: s.extras.dataset, datasetName: dataset?.name, name: s.name };
    if (more) train.getState().continueRun(project, uploaded);
    else train.getState().start(project, uploaded);
  }, [editor, train, dataset, more]);
}
