/**
 * Export → Python: the training script (src/core/codegen/python.ts) with the data the project
 * trains on: an uploaded CSV is read and prepared by the script itself (the same mapping, filters,
 * split and vocabulary size), a catalog dataset's examples are downloaded next to it as JSON.
 * `form: 'sequential'` writes the model as keras.Sequential([...]) (a chain of layers only).
 */
import type { ScriptData } from '../../core/codegen/python.ts';
import type { DataStore } from '../../store/dataStore.ts';
import { CSV_ENTRY } from '../../store/dataStore.ts';
import type { EditorStore } from '../../store/index.ts';
import { download } from '../files.ts';

const base = (name: string) => name.trim().replace(/[\\/:*?"<>|\s]+/g, '_') || 'model';

export async function exportTrainingScript(store: EditorStore, data: DataStore | null, form: 'functional' | 'sequential' = 'functional'): Promise<void> {
  const s = store.getState();
  const d = data?.getState();
  const name = base(s.name);
  let scriptData: ScriptData | undefined;
  let dataFile: string | null = null;
  if (d && d.entry === CSV_ENTRY && d.file && d.dataset) {
    const m = d.mapping as { text?: string; label?: string; target_sequence?: string; confidence?: string; threshold?: number };
    if (m.text) {
      scriptData = {
        kind: 'csv', file: d.file.name, text: m.text, ...(m.label ? { label: m.label } : {}), ...(m.target_sequence ? { target_sequence: m.target_sequence } : {}),
        ...(m.confidence ? { confidence: m.confidence } : {}), threshold: m.threshold ?? 0.5, seed: d.split.seed, fractions: d.split.fractions,
        stratify: d.split.stratify, max_tokens: d.split.maxTokens, decode_entities: d.split.decodeEntities,
      };
    }
  } else if (d?.dataset) {
    dataFile = `${name}.data.json`;
    scriptData = { kind: 'file', file: dataFile, name: d.dataset.name, task: d.dataset.task };
  }
  const { toPython } = await import('../../core/codegen/python.ts');
  const r = toPython(s.graph, { name: s.name, training: s.extras.training, data: scriptData, form });
  if (!r.ok) return s.notify('error', `Export failed: ${r.error}`);
  download(`${name}.py`, r.code, 'text/x-python');
  if (dataFile && d?.dataset) {
    const ds = d.dataset;
    await new Promise((ok) => setTimeout(ok, 250));
    download(dataFile, JSON.stringify({ format: 'unroll-data', version: 1, task: ds.task, inputs: ds.inputs, labels: ds.labels ?? null, numClasses: ds.numClasses ?? null, startId: ds.startId ?? null, horizon: ds.horizon ?? null, train: ds.train, val: ds.val, test: ds.test }));
  }
  s.notify('success', `Exported ${name}.py${dataFile ? ` and ${dataFile}` : ''}: python3 ${name}.py trains the model with Keras 3${scriptData?.kind === 'csv' ? ` (next to ${scriptData.file})` : ''}.`);
}
