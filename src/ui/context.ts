/**
 * The store reaches components through React context (one store per canvas). `useEditor(selector)`
 * subscribes to one slice; pass a module-level selector from src/store/selectors.ts.
 */
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { EditorState, EditorStore } from '../store/index.ts';

export const EditorContext = createContext<EditorStore | null>(null);

export function useEditorStore(): EditorStore {
  const s = useContext(EditorContext);
  if (!s) throw new Error('useEditorStore: no <EditorContext.Provider> above this component');
  return s;
}

export function useEditor<T>(selector: (s: EditorState) => T): T {
  return useStore(useEditorStore(), selector);
}

/** For selectors that build a new array or object each time (compared shallowly). */
export function useEditorShallow<T>(selector: (s: EditorState) => T): T {
  return useStore(useEditorStore(), useShallow(selector));
}

/** The actions (stable for the store's life). */
export function useActions(): EditorState {
  return useEditorStore().getState();
}
