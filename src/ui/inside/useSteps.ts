/**
 * The input positions the unrolled view writes under the steps: a real example of the bound
 * dataset when the node's time axis comes from the dataset's input (padded as in its batch), else
 * a made-up sequence x₁ … x_T (T from the input shape when it is fixed, else 8).
 */
import { useEffect, useMemo } from 'react';
import { dummySteps, exampleSteps, type ExampleSteps } from '../../data/steps.ts';
import type { StepInput } from '../../core/unrolled.ts';
import { timeSource } from '../../core/unrolled.ts';
import type { EditorState } from '../../store/index.ts';
import { useEditor } from '../context.ts';
import { useData, useDataStore } from '../data/context.ts';
import { useInside } from './context.ts';

const selectGraph = (s: EditorState) => s.graph;
const selectInference = (s: EditorState) => s.inference;
const selectTraining = (s: EditorState) => s.extras.training;

export interface StepsInfo {
  readonly steps: readonly StepInput[];
  readonly from: 'dataset' | 'dummy';
  /** What the columns are, in words. */
  readonly caption: string;
  readonly examples: number;
  readonly example: ExampleSteps | null;
}

const DUMMY_T = 8;

export function useSteps(nodeId: string): StepsInfo {
  const graph = useEditor(selectGraph);
  const inference = useEditor(selectInference);
  const training = useEditor(selectTraining);
  const data = useDataStore();
  const dataset = useData((s) => s.dataset);
  const split = useInside((s) => s.split) ?? 'test';
  const index = useInside((s) => s.example) ?? 0;
  useEffect(() => {
    void data.getState().ensureLoaded();
  }, [data]);
  return useMemo((): StepsInfo => {
    const source = timeSource(graph, inference, nodeId);
    const inputNode = source ? graph.nodes.find((n) => n.id === source) : undefined;
    const inputs = graph.nodes.filter((n) => n.kind === 'Input');
    const x = inference.node(nodeId)?.inputs[0];
    const edge = x ? graph.edges.find((e) => e.target === nodeId && e.targetPort === x.name) : undefined;
    const T = edge ? inference.edgeTensor(edge)?.shape[1] ?? null : null;
    // The dataset feeds the first Input (x); a decoder Input is fed its teacher-forcing tokens, not shown here.
    const fromData = dataset && inputNode && inputNode.id === inputs[0]?.id;
    if (fromData) {
      const list = dataset[split];
      const ex = list.length ? exampleSteps(dataset, split, Math.min(index, list.length - 1), training.batch_size) : null;
      if (ex && (T === null || T === ex.padTo)) {
        return {
          steps: ex.tokens.map((token, t) => ({ token, padding: ex.padding[t] })), from: 'dataset', example: ex, examples: list.length,
          caption: `${split} example ${Math.min(index, list.length - 1) + 1} of ${list.length} (${dataset.name}): ${ex.length} steps${ex.padTo > ex.length ? `, padded to ${ex.padTo}, the longest in its batch of ${training.batch_size}` : ''}`,
        };
      }
    }
    const d = dummySteps(T ?? DUMMY_T);
    return {
      steps: d.tokens.map((token) => ({ token, padding: false })), from: 'dummy', example: null, examples: 0,
      caption: source
        ? `A made-up sequence of ${d.padTo} steps${dataset ? ' (the bound dataset does not feed this input)' : ' (no dataset is bound: pick one in the Data tab to see a real example)'}`
        : `${d.padTo} steps (this layer's time axis does not come from the data: e.g. a RepeatVector)`,
    };
  }, [graph, inference, nodeId, dataset, split, index, training.batch_size]);
}
