/**
 * The commands the toolbar and the keyboard share (one place, so both do the same thing): files,
 * layout, view. Editing commands are store actions and need nothing here.
 */
import { useMemo } from 'react';
import { useReactFlow } from '@xyflow/react';
import { layoutGraph, type EditorStore } from '../store/index.ts';
import { openProjectFile, pickFile, saveProject } from './files.ts';
import { useEditorStore } from './context.ts';

export interface Commands {
  save(): void;
  open(): Promise<void>;
  openFile(f: File): Promise<void>;
  layout(): Promise<void>;
  fit(): void;
  /** Fits the view after the next render (new document). */
  fitSoon(): void;
  renameSelected(): void;
}

export function useCommands(): Commands {
  const store: EditorStore = useEditorStore();
  const rf = useReactFlow();
  return useMemo(() => {
    const fit = () => rf.fitView({ padding: 0.08, maxZoom: 1.1, duration: 200 });
    const fitSoon = () => requestAnimationFrame(() => requestAnimationFrame(fit));
    return {
      save: () => saveProject(store),
      async open() {
        const f = await pickFile();
        if (f && (await openProjectFile(store, f))) fitSoon();
      },
      async openFile(f) {
        if (await openProjectFile(store, f)) fitSoon();
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
  }, [store, rf]);
}
