/** The editor store's public surface. */
export { createEditorStore, defaultExtras, type EditorStore, type StoreOptions } from './editorStore.ts';
export type { EditorState, Message, MessageLevel, Size, ConnectCheck } from './state.ts';
export type { NodeView, PortView, EdgeView } from './derive.ts';
export * from './selectors.ts';
export { attachAutosave, serializeDoc, restoreDoc, fileNameFor, AUTOSAVE_KEY } from './persist.ts';
export { layoutGraph, quickLayout } from './layout.ts';
