/**
 * The Results views' requests: `useAsk()` sends a workbench request on the document as it is now
 * (graph, settings, the dataset in use; an upload's data goes along, without its examples where
 * the request does not need them); `useModelKey()` names the model the answers belong to.
 */
import { useCallback, useMemo } from 'react';
import { lightDataset } from '../../store/resultsStore.ts';
import type { WorkbenchRequest } from '../../tf/train/workbench.ts';
import type { EditorState } from '../../store/index.ts';
import { useEditor, useEditorStore } from '../context.ts';
import { useDatasetInUse } from '../train/readiness.ts';
import { graphSignature } from '../train/runView.ts';
import { useResultsStore } from './context.ts';

/** Requests that need the dataset's examples (the others get its vocabulary and labels only). */
const NEEDS_EXAMPLES = new Set<WorkbenchRequest['op']>(['evaluate', 'decode-eval', 'call']);

export function useAsk(): (request: WorkbenchRequest) => void {
  const results = useResultsStore();
  const editor = useEditorStore();
  const dataset = useDatasetInUse();
  return useCallback((request) => {
    const s = editor.getState();
    const data = dataset?.uploaded && dataset.data ? (NEEDS_EXAMPLES.has(request.op) ? dataset.data : lightDataset(dataset.data)) : undefined;
    const project = { graph: s.graph, training: s.extras.training, dataset: s.extras.dataset };
    void results.getState().ask(project, request, data);
  }, [results, editor, dataset]);
}

const selectGraph = (s: EditorState) => s.graph;
const selectDataset = (s: EditorState) => s.extras.dataset;

/** The model the answers belong to: the graph (not its layout) and the dataset chosen. */
export function useModelKey(): string {
  const graph = useEditor(selectGraph);
  const dataset = useEditor(selectDataset);
  return useMemo(() => `${graphSignature(graph)}:${JSON.stringify(dataset)}`, [graph, dataset]);
}
