import { describe, expect, it } from 'vitest';
import { getTemplate } from '../../templates/index.ts';
import type { TrainingClient } from '../tf/train/client.ts';
import { createResultsStore, lightDataset } from './resultsStore.ts';

const p = getTemplate('sentiment')!.project;
const project = { graph: p.graph, training: p.training, dataset: p.dataset };

/** A client whose answers are released by hand, in any order. */
function manualClient() {
  const pending: { op: string; resolve: (v: unknown) => void; reject: (e: Error) => void }[] = [];
  const client: Pick<TrainingClient, 'workbench'> = {
    workbench: ((o: { request: { op: string } }) => new Promise((resolve, reject) => pending.push({ op: o.request.op, resolve, reject }))) as never,
  };
  return { client, pending };
}

describe('results store', () => {
  it('an older answer of the same kind is dropped (typing fast in Try it); other kinds are independent', async () => {
    const { client, pending } = manualClient();
    const s = createResultsStore({ client });
    const first = s.getState().ask(project, { op: 'try', text: 'a' });
    const second = s.getState().ask(project, { op: 'try', text: 'ab' });
    const ev = s.getState().ask(project, { op: 'evaluate', split: 'test' });
    expect(s.getState().try.pending).toBe(true);
    expect(s.getState().try.request).toEqual({ op: 'try', text: 'ab' });
    pending[1].resolve({ text: 'ab' });
    await second;
    pending[0].resolve({ text: 'a' });
    await first;
    expect(s.getState().try).toMatchObject({ pending: false, result: { text: 'ab' }, error: null });
    expect(s.getState().evaluate.pending).toBe(true);
    pending[2].reject(new Error('The model has no Output with a loss'));
    await ev;
    expect(s.getState().evaluate).toMatchObject({ pending: false, result: null, error: 'The model has no Output with a loss' });
    s.getState().clear('try');
    expect(s.getState().try).toEqual({ pending: false, result: null, error: null, request: null });
  });

  it('an upload travels without its examples where the request needs only its vocabulary', () => {
    const ds = { name: 'x', task: 'sequence-classification', train: [{ input: [1] }], val: [{ input: [2] }], test: [{ input: [3] }], numClasses: 2 } as never;
    const light = lightDataset(ds);
    expect(light).toMatchObject({ name: 'x', numClasses: 2, train: [], val: [], test: [] });
  });
});
