/** The editor store's public surface. */
export { createEditorStore, defaultExtras, type EditorStore, type StoreOptions } from './editorStore.ts';
export type { EditorState, Message, MessageLevel, Size, ConnectCheck, DatasetChoice } from './state.ts';
export type { NodeView, PortView, EdgeView } from './derive.ts';
export * from './selectors.ts';
export { attachAutosave, serializeDoc, restoreDoc, fileNameFor, AUTOSAVE_KEY } from './persist.ts';
export { layoutGraph, quickLayout } from './layout.ts';
export { openProject, parseProjectAsync, yieldToPage, OPEN_CHUNK } from './open.ts';
export { createDataStore, CSV_ENTRY, DEFAULT_CSV_SPLIT, type SavedCsv, type DataState, type DataStore, type DataStatus, type DataProblem, type CsvSplitOptions } from './dataStore.ts';
export { linkDataToProject } from './dataLink.ts';
export { attachCsvPersistence, restoreCsv, CSV_KEY, type SavedUpload } from './csvPersist.ts';
export { labelBars, confidenceBins, lengthBins, NO_LABEL, type LabelBar, type ConfidenceBin, type LengthBin } from './dataViews.ts';
