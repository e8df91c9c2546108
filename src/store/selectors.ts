/**
 * Selectors, defined once at module level so components subscribe to exactly what they show and
 * idle nodes do not re-render. Parameterised selectors are built per id with `nodeSelector(id)`.
 */
import type { EditorState } from './state.ts';

export const selectGraph = (s: EditorState) => s.graph;
export const selectName = (s: EditorState) => s.name;
export const selectSelected = (s: EditorState) => s.selected;
export const selectSelectedEdges = (s: EditorState) => s.selectedEdges;
export const selectDrag = (s: EditorState) => s.drag;
export const selectSizes = (s: EditorState) => s.sizes;
export const selectViews = (s: EditorState) => s.views;
export const selectNeedsLayout = (s: EditorState) => s.needsLayout;
export const selectSummary = (s: EditorState) => s.summary;
export const selectIssues = (s: EditorState) => s.inference.issues;
export const selectMessages = (s: EditorState) => s.messages;
export const selectRenaming = (s: EditorState) => s.renaming;
export const selectHasClipboard = (s: EditorState) => !!s.clipboard?.nodes.length;
export const selectCheckConnection = (s: EditorState) => s.checkConnection;
export const selectTotals = (s: EditorState) => s.inference.totals;
export const selectErrorCount = (s: EditorState) => s.inference.issues.filter((i) => i.severity === 'error').length;

/** The single selected node's id, or null (the inspector shows one node). */
export const selectFocusId = (s: EditorState) => (s.selected.length === 1 ? s.selected[0] : null);

export const nodeSelector = (id: string) => (s: EditorState) => s.byId.get(id);
export const viewSelector = (id: string) => (s: EditorState) => s.views.get(id);
export const edgeViewSelector = (id: string) => (s: EditorState) => s.edgeViews.get(id);
export const isSelectedSelector = (id: string) => (s: EditorState) => s.selected.includes(id);
