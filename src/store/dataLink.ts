/**
 * Keeps the project's dataset choice (`extras.dataset`, saved in the project file) and the data
 * store's entry in step, both ways:
 * - a project opened or restored with a catalog id shows it in the data panel (not loaded until
 *   the panel is opened or training asks, `ensureLoaded`); a project without one clears a catalog pick;
 * - choosing a catalog dataset records `{ id, options }` in the project; a CSV that built a dataset
 *   records none (an upload cannot be restored from the project file).
 * Returns a function that stops both subscriptions.
 */
import type { DataStore } from './dataStore.ts';
import { CSV_ENTRY } from './dataStore.ts';
import type { EditorStore } from './editorStore.ts';

export function linkDataToProject(data: DataStore, editor: EditorStore): () => void {
  const fromProject = () => {
    const choice = editor.getState().extras.dataset;
    const d = data.getState();
    if (choice && choice.id !== d.entry) d.select(choice.id, choice.options);
    else if (!choice && d.entry && d.entry !== CSV_ENTRY) d.clear();
  };
  fromProject();
  const stopEditor = editor.subscribe((s, p) => { if (s.extras.dataset !== p.extras.dataset) fromProject(); });
  const stopData = data.subscribe((s, p) => {
    if (s.entry === p.entry && s.options === p.options && s.dataset === p.dataset) return;
    if (s.entry && s.entry !== CSV_ENTRY) editor.getState().setDataset({ id: s.entry, options: { ...s.options } });
    else if (s.entry === CSV_ENTRY && s.dataset) editor.getState().setDataset(null);
  });
  return () => { stopEditor(); stopData(); };
}
