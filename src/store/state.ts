/**
 * The editor's state, in three slices: the document (what is saved and undone), the UI (selection,
 * sizes, the drag in progress, the clipboard, messages) and the derived views (inference results
 * shaped for display; see derive.ts). Actions live on the state object (see editorStore.ts).
 */
import type { Connection } from '../core/edit.ts';
import type { Project } from '../core/project.ts';
import type { FixAction, Graph, Params, XY } from '../core/types.ts';
import type { Derived } from './derive.ts';

/** Training settings and dataset choice travel with the document but are edited elsewhere. */
export type ProjectExtras = Pick<Project, 'training' | 'dataset'>;

/** The project's dataset choice: a catalog id and its options (saved in the project file). */
export type DatasetChoice = NonNullable<Project['dataset']>;

export interface DocSlice {
  readonly graph: Graph;
  /** The project name; the file is saved as `<name>.unroll.json`. */
  readonly name: string;
  readonly extras: ProjectExtras;
}

export type MessageLevel = 'error' | 'info' | 'success';

export interface Message {
  readonly id: number;
  readonly level: MessageLevel;
  readonly text: string;
  /** About the graph as it was (a refused wire, an export refused for errors): gone at the next edit or undo. */
  readonly untilEdit?: boolean;
}

export interface Size {
  readonly width: number;
  readonly height: number;
}

export interface UiSlice {
  /** Selected node ids, in selection order. */
  readonly selected: readonly string[];
  readonly selectedEdges: readonly string[];
  /** Rendered node sizes (from React Flow's measurements), for layout and placement. */
  readonly sizes: Readonly<Record<string, Size>>;
  /** Positions of nodes being dragged; committed to the document as one step when the drag ends. */
  readonly drag: ReadonlyMap<string, XY> | null;
  readonly clipboard: Graph | null;
  /** How many times the clipboard has been pasted (each paste shifts further). */
  readonly pasteCount: number;
  /** The node whose name is being edited on the canvas. */
  readonly renaming: string | null;
  readonly messages: readonly Message[];
  /** Set when a document was opened without a good layout (templates): the canvas lays it out once measured. */
  readonly needsLayout: boolean;
}

export type ConnectCheck = { ok: true } | { ok: false; reason: string };

export interface Actions {
  /**
   * Replaces the document (New, Open, restore). Undoable unless `fresh` (then history is cleared).
   * `layout` asks the canvas to auto-layout it once its nodes are measured (merged into this step).
   */
  load(project: { readonly name: string; readonly graph: Graph } & Partial<ProjectExtras>, opts?: { fresh?: boolean; layout?: boolean }): void;
  /**
   * Infers `graph` with the store's inferencer without changing the document: opening a large
   * graph in steps (`openProject`) warms the inference chunk by chunk, so the final `load` only
   * reuses it.
   */
  warmUp(graph: Graph): void;
  setName(name: string): void;
  /** Changes training settings (`extras.training`; saved, not undoable). Values are validated by the project schema; invalid ones are ignored. */
  setTraining(patch: Partial<ProjectExtras['training']>): void;
  /** Records the project's dataset choice (`extras.dataset`; saved, not undoable). Same id and options: no change. */
  setDataset(choice: DatasetChoice | null): void;
  /** Replaces the graph as one undo step (the data panel's "Fit model to data"); selection of removed nodes is dropped. */
  replaceGraph(graph: Graph): void;
  /** Adds a layer; selects it and returns its id. */
  addNode(kind: string, position?: XY): string;
  /** Adds a layer right of the selected node, wired to it when the wire can work. */
  addNext(kind: string, fallback?: XY): string;
  /** Draws a wire after `canConnect`; a refused wire leaves the graph as it is and says why. */
  /** Draws a wire (refused with the reason as a message); a wire replacing one into a taken input says so. */
  connect(c: Connection): ConnectCheck;
  /** Changes a layer into a kind its definition `swapsWith`, keeping name, wires and shared parameters (one undo step). */
  changeKind(id: string, kind: string): void;
  /** Applies an issue's one-click fix (one undo step). */
  applyFix(action: FixAction): void;
  /** Stable (one per store): React Flow's `isValidConnection`. Cached per graph. */
  checkConnection(c: Connection): ConnectCheck;
  removeNodes(ids: readonly string[]): void;
  removeEdges(ids: readonly string[]): void;
  removeSelection(): void;
  setParams(id: string, patch: Params): void;
  /** Changes parameters of the layer a wrapper holds (`layer` of Bidirectional / TimeDistributed). */
  setInnerParams(id: string, spec: string, patch: Params): void;
  /** Swaps the wrapped layer's kind, keeping the parameters both kinds share. */
  setInnerKind(id: string, spec: string, kind: string): void;
  /** Renames a node; returns why not when the name is unusable or taken. */
  rename(id: string, name: string): string | null;
  startRename(id: string | null): void;
  /** Moves nodes as one undo step; `history: false` folds the move into the current step (layout after open). */
  moveNodes(positions: ReadonlyMap<string, XY>, opts?: { history?: boolean }): void;
  dragMove(positions: ReadonlyMap<string, XY>): void;
  dragEnd(): void;
  select(nodes: readonly string[], edges?: readonly string[]): void;
  selectAll(): void;
  /** Moves the selection to another node: Tab order (topological) or the nearest one in a direction. */
  navigate(dir: 'next' | 'prev' | 'left' | 'right' | 'up' | 'down'): void;
  copy(): void;
  cut(): void;
  /** Pastes the clipboard with its top-left at `at` (flow coordinates: the pointer) or just below the originals. */
  paste(at?: XY): void;
  duplicate(): void;
  undo(): void;
  redo(): void;
  setSizes(sizes: Readonly<Record<string, Size>>): void;
  /** A message; `untilEdit`: it is about the graph as it is now and goes at the next edit or undo. Opening a project clears messages. */
  notify(level: MessageLevel, text: string, o?: { untilEdit?: boolean }): void;
  dismiss(id: number): void;
}

export type EditorState = DocSlice & UiSlice & Derived & Actions;
