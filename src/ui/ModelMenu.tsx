/**
 * The toolbar's Model group: Export (Python, Keras JSON, TF.js JavaScript, SVG, PNG, a Keras 3
 * `.keras` with trained or loaded weights: model/saveKeras.ts, TF.js model files trained or with
 * fresh weights: train/exportModel.ts) and Open model… (a .keras, .h5, Keras or TF.js JSON with
 * its .bin shards or .weights.h5: model/openModel.ts). The converters live in src/core/keras,
 * src/core/codegen and src/tf/weights and are loaded on first use, so they stay out of the initial bundle.
 */
import { Fragment, useContext, useEffect, useMemo, useRef, useState } from 'react';
import type { DataStore } from '../store/dataStore.ts';
import { DataContext } from './data/context.ts';
import { exportTrainingScript } from './model/pythonExport.ts';
import type { EditorStore } from '../store/index.ts';
import { keras2Meanings, toKeras3Semantics } from '../core/keras/semantics.ts';
import { sequentialChain } from '../core/sequential.ts';
import { describeWeights } from '../store/weightsStore.ts';
import { useEditor, useEditorStore } from './context.ts';
import { download, pickFiles } from './files.ts';
import { useWeights, useWeightsStore } from './model/context.ts';
import { MODEL_FILES } from './model/openModel.ts';
import { fittingWeights, saveKerasFile } from './model/saveKeras.ts';
import { Icon } from './icons.tsx';
import type { Commands } from './commands.ts';
import { useTrain, useTrainStore } from './train/context.ts';
import { exportFreshTfjs, exportTrainedTfjs } from './train/exportModel.ts';

const FORMATS = [
  { id: 'python', label: 'Python (Keras training script)', ext: 'py', type: 'text/x-python' },
  { id: 'keras', label: 'Keras JSON (model.to_json)', ext: 'keras.json', type: 'application/json' },
  { id: 'tfjs', label: 'TF.js JavaScript', ext: 'js', type: 'text/javascript' },
  { id: 'svg', label: 'SVG picture', ext: 'svg', type: 'image/svg+xml' },
  { id: 'png', label: 'PNG picture', ext: 'png', type: 'image/png' },
] as const;

const base = (name: string) => name.trim().replace(/[\\/:*?"<>|\s]+/g, '_') || 'model';

async function svgToPng(svg: string): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    await new Promise<void>((ok, fail) => { img.onload = () => ok(); img.onerror = () => fail(new Error('SVG did not load')); img.src = url; });
    const scale = 2;
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth * scale;
    canvas.height = img.naturalHeight * scale;
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    return await new Promise((ok, fail) => canvas.toBlob((b) => (b ? ok(b) : fail(new Error('PNG encoding failed'))), 'image/png'));
  } finally {
    URL.revokeObjectURL(url);
  }
}

async function exportAs(store: EditorStore, id: (typeof FORMATS)[number]['id'], data: DataStore | null) {
  if (id === 'python') return exportTrainingScript(store, data);
  const s = store.getState();
  const { exportModel } = await import('../core/keras/cli.ts');
  const r = exportModel({ graph: s.graph, name: s.name, training: s.extras.training }, id === 'png' ? 'svg' : id);
  if (!r.ok) return s.notify('error', `Export failed: ${r.error}`);
  const f = FORMATS.find((x) => x.id === id)!;
  const file = `${base(s.name)}.${f.ext}`;
  download(file, id === 'png' ? await svgToPng(r.text) : r.text, f.type);
  s.notify('success', `Exported ${file}`);
}

/** Replaces older Keras meanings (hard_sigmoid, masks) by Keras 3's (one undo step); predictions may change. */
function convertToKeras3(store: EditorStore, where: readonly string[]) {
  const s = store.getState();
  s.replaceGraph(toKeras3Semantics(s.graph).graph);
  s.notify('info', `${where.join(', ')}: hard_sigmoid is now Keras 3's relu6(x + 3) / 6 (was Keras 2's clip(0.2x + 0.5, 0, 1)); the model can be saved for Keras 3. Undo to go back.`);
}

export function ModelMenu({ cmd }: { cmd: Commands }) {
  const store = useEditorStore();
  const train = useTrainStore();
  const trained = useTrain((s) => s.exportable);
  const weightsStore = useWeightsStore();
  const dataStore = useContext(DataContext);
  const loaded = useWeights((s) => s.weights);
  const graph = useEditor((s) => s.graph);
  const keras2 = useMemo(() => keras2Meanings(graph), [graph]);
  const kerasReady = trained || (loaded !== null && fittingWeights(store, weightsStore) !== null);
  const [open, setOpen] = useState(false);
  const chain = useMemo(() => (open ? sequentialChain(graph) : null), [open, graph]);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (e: Event) => { if (!ref.current?.contains(e.target as Node)) setOpen(false); };
    const esc = (e: KeyboardEvent) => { if (e.key === 'Escape') setOpen(false); };
    document.addEventListener('pointerdown', close);
    document.addEventListener('keydown', esc);
    return () => { document.removeEventListener('pointerdown', close); document.removeEventListener('keydown', esc); };
  }, [open]);
  return (
    <>
      <div className="menu-anchor" ref={ref}>
        <button type="button" className="tool with-text" aria-haspopup="menu" aria-expanded={open} aria-label="Export" onClick={() => setOpen(!open)}>
          <Icon name="export" /><span>Export</span>
        </button>
        {open && (
          <div className="menu" role="menu" aria-label="Export formats">
            {FORMATS.map((f) => (
              <Fragment key={f.id}>
                <button role="menuitem" type="button" onClick={() => { setOpen(false); void exportAs(store, f.id, dataStore); }}>
                  {f.label}<span className="menu-ext">.{f.ext}</span>
                </button>
                {f.id === 'python' && chain && (
                  // The lesson's form, for a chain of layers: build_model returns keras.Sequential([...]).
                  <button role="menuitem" type="button" disabled={!chain.ok} aria-disabled={!chain.ok}
                    title={chain.ok ? 'The same training script, with the model written as keras.Sequential([...]) as the lesson does' : `Only a chain of layers is a Sequential model: ${chain.reason}`}
                    onClick={() => { setOpen(false); void exportTrainingScript(store, dataStore, 'sequential'); }}>
                    Python, Sequential model<span className="menu-ext">.py</span>
                  </button>
                )}
              </Fragment>
            ))}
            <div className="menu-sep" role="separator" />
            <button role="menuitem" type="button" disabled={!kerasReady} aria-disabled={!kerasReady}
              title={trained ? 'A Keras 3 archive with the weights of the last training run' : kerasReady ? 'A Keras 3 archive with the weights of the opened model' : 'Train the model first (Train tab), or open a model that has weights'}
              onClick={() => { setOpen(false); void saveKerasFile(store, train, weightsStore); }}>
              Keras 3 model with weights<span className="menu-ext">.keras</span>
            </button>
            {keras2.length > 0 && (
              <button role="menuitem" type="button" title={`Older Keras meanings in ${keras2.join(', ')}: Keras 3 files cannot hold them`}
                onClick={() => { setOpen(false); convertToKeras3(store, keras2); }}>
                Use Keras 3 semantics<span className="menu-ext">{keras2.length} layer{keras2.length > 1 ? 's' : ''}</span>
              </button>
            )}
            <button role="menuitem" type="button" disabled={!trained} aria-disabled={!trained}
              title={trained ? 'The weights of the last training run' : 'Train the model first (Train tab)'}
              onClick={() => { setOpen(false); void exportTrainedTfjs(store, train); }}>
              TF.js model (trained)<span className="menu-ext">.json + .bin</span>
            </button>
            <button role="menuitem" type="button" title="The current graph with freshly initialised weights (training seed)"
              onClick={() => { setOpen(false); void exportFreshTfjs(store); }}>
              TF.js model (fresh weights)<span className="menu-ext">.json + .bin</span>
            </button>
          </div>
        )}
      </div>
      <button type="button" className="tool with-text" aria-label="Open model…"
        title="Open a Keras model with its weights: .keras, .h5, a Keras or TF.js JSON (choose model.json with its .bin files, or a config with its .weights.h5)"
        onClick={() => void pickFiles(MODEL_FILES).then((files) => cmd.openFiles(files))}>
        <Icon name="import" /><span>Open model…</span>
      </button>
      {loaded && (
        <span className="loaded-weights" role="note" title={describeWeights(loaded, store)}>
          Weights: {loaded.source.file ?? 'loaded'}
          <button type="button" className="link" aria-label="Forget the loaded weights" title="Start from fresh weights"
            onClick={() => { weightsStore.getState().set(null); store.getState().notify('info', 'The loaded weights are forgotten: runs start from fresh weights.'); }}>×</button>
        </span>
      )}
    </>
  );
}
