/**
 * Size limits at the door of Open: a project file over 20 MB and a model file over 2 GB are
 * refused before they are read, with their size, and the open model stays as it was.
 */
import { describe, expect, it } from 'vitest';
import { TEMPLATES } from '../../../templates/index.ts';
import { createEditorStore } from '../../store/editorStore.ts';
import { createWeightsStore } from '../../store/weightsStore.ts';
import { openProjectFile } from '../files.ts';
import { openFiles } from './openModel.ts';

/** A file that says how large it is and fails the test if it is read. */
const huge = (name: string, size: number) =>
  ({
    name,
    size,
    text: () => Promise.reject(new Error('read')),
    arrayBuffer: () => Promise.reject(new Error('read')),
  }) as unknown as File;

describe('files too large to open are refused unread', () => {
  it('a 25 MB project file', async () => {
    const store = createEditorStore({ graph: TEMPLATES[0].project.graph, name: 'kept' });
    const before = JSON.stringify(store.getState().graph);
    expect(await openProjectFile(store, huge('big.unroll.json', 25 * 1024 * 1024))).toBe(false);
    expect(store.getState().messages.at(-1)).toMatchObject({ level: 'error', text: 'big.unroll.json is 26 MB: too large for a project file.' });
    expect(JSON.stringify(store.getState().graph)).toBe(before);
  });

  it('a 3 GB .keras file', async () => {
    const store = createEditorStore({ graph: TEMPLATES[0].project.graph, name: 'kept' });
    const before = JSON.stringify(store.getState().graph);
    expect(await openFiles(store, createWeightsStore(), [huge('big.keras', 3 * 1024 ** 3)])).toBe(false);
    expect(store.getState().messages.at(-1)).toMatchObject({ level: 'error', text: 'big.keras is 3.0 GB: too large to open in a browser tab. The current model is unchanged.' });
    expect(JSON.stringify(store.getState().graph)).toBe(before);
    expect(store.getState().name).toBe('kept');
  });
});
