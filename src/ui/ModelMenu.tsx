/**
 * The toolbar's Model group: Export (Python, Keras JSON, TF.js JavaScript, SVG, PNG, TF.js model files
 * trained or with fresh weights: train/exportModel.ts) and Import model
 * (Keras 2/3 or TF.js JSON). The converters live in src/core/keras and src/core/codegen and are
 * loaded on first use, so they stay out of the initial bundle.
 */
import { useEffect, useRef, useState } from 'react';
import type { EditorStore } from '../store/index.ts';
import { useEditorStore } from './context.ts';
import { download, pickFile } from './files.ts';
import { Icon } from './icons.tsx';
import type { Commands } from './commands.ts';
import { useTrain, useTrainStore } from './train/context.ts';
import { exportFreshTfjs, exportTrainedTfjs } from './train/exportModel.ts';

const FORMATS = [
  { id: 'python', label: 'Python (Keras script)', ext: 'py', type: 'text/x-python' },
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

async function exportAs(store: EditorStore, id: (typeof FORMATS)[number]['id']) {
  const s = store.getState();
  const { exportModel } = await import('../core/keras/cli.ts');
  const r = exportModel({ graph: s.graph, name: s.name, training: s.extras.training }, id === 'png' ? 'svg' : id);
  if (!r.ok) return s.notify('error', `Export failed: ${r.error}`);
  const f = FORMATS.find((x) => x.id === id)!;
  const file = `${base(s.name)}.${f.ext}`;
  download(file, id === 'png' ? await svgToPng(r.text) : r.text, f.type);
  s.notify('success', `Exported ${file}`);
}

async function importModel(store: EditorStore, cmd: Commands) {
  const file = await pickFile('.json,application/json');
  if (!file) return;
  const { loadAnyModelFile } = await import('../core/keras/cli.ts');
  const r = loadAnyModelFile(await file.text(), file.name);
  const s = store.getState();
  if (!r.ok) return s.notify('error', `${r.error}. The current model is unchanged.`);
  s.load({ name: r.name, graph: r.graph, ...(r.training ? { training: r.training } : {}) });
  s.notify(r.warnings.length ? 'info' : 'success', r.warnings.length ? `Imported ${file.name} with notes: ${r.warnings.join(' ')}` : `Imported ${file.name}`);
  cmd.fitSoon();
}

export function ModelMenu({ cmd }: { cmd: Commands }) {
  const store = useEditorStore();
  const train = useTrainStore();
  const trained = useTrain((s) => s.exportable);
  const [open, setOpen] = useState(false);
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
              <button key={f.id} role="menuitem" type="button" onClick={() => { setOpen(false); void exportAs(store, f.id); }}>
                {f.label}<span className="menu-ext">.{f.ext}</span>
              </button>
            ))}
            <div className="menu-sep" role="separator" />
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
      <button type="button" className="tool with-text" aria-label="Import model" title="Import a Keras or TF.js model (JSON)"
        onClick={() => void importModel(store, cmd)}>
        <Icon name="import" /><span>Import model</span>
      </button>
    </>
  );
}
