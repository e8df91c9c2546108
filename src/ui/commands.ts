/**
 * The commands the toolbar and the keyboard share (one place, so both do the same thing): files,
 * layout, view. Editing commands are store actions and need nothing here.
 */
import { useMemo } from 'react';
import { layoutGraph, type EditorStore } from '../store/index.ts';
import { pickFiles, saveProject } from './files.ts';
import { useEditorStore } from './context.ts';
import { MODEL_FILES, openFiles } from './model/openModel.ts';
import { useWeightsStore } from './model/context.ts';
import { useCanvasFit } from './canvas/view.ts';

export interface Commands {
  save(): void;
  open(): Promise<void>;
  /** Opens dropped or picked files: a project, or a model with its weights (model/openModel.ts). */
  openFiles(files: readonly File[]): Promise<void>;
  layout(): Promise<void>;
  fit(): void;
  /** Fits the view after the next render (new document). */
  fitSoon(): void;
  renameSelected(): void;
}

export function useCommands(): Commands {
  const store: EditorStore = useEditorStore();
  const weights = useWeightsStore();
  const fitCanvas = useCanvasFit();
  return useMemo(() => {
    // Readable first (text ≥ 11 px on screen); pressed again, the whole graph (canvas/fit.ts).
    const fit = () => fitCanvas({ toggle: true, duration: 200 });
    const fitSoon = () => requestAnimationFrame(() => requestAnimationFrame(() => fitCanvas()));
    return {
      save: () => saveProject(store),
      async open() {
        const files = await pickFiles(`.json,.unroll.json,${MODEL_FILES}`);
        if (files.length && (await openFiles(store, weights, files))) fitSoon();
      },
      async openFiles(files) {
        if (await openFiles(store, weights, files)) fitSoon();
      },
      async layout() {
        const s = store.getState();
        if (!s.graph.nodes.length) return;
        const pos = await layoutGraph(s.graph, s.sizes);
        store.getState().moveNodes(pos);
        fitSoon();
      },
      fit,
      fitSoon,
      renameSelected() {
        const s = store.getState();
        if (s.selected.length) s.startRename(s.selected[s.selected.length - 1]);
      },
    };
  }, [store, weights, fitCanvas]);
}
