/**
 * The editor's frame: toolbar on top, palette left (full height), the canvas in the middle with
 * the inspector at its right, and the resizable bottom dock (summary, issues, data, train) under
 * both. Layout lives in styles.css (`.app` grid areas); panels slot into their area. Give it a
 * store (createEditorStore) and a data store (createDataStore, linked to the project by main.tsx;
 * a fresh unlinked one when omitted); it owns nothing else.
 */
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ReactFlowProvider } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import './styles.css';
import { createDataStore, type DataStore, type EditorStore } from '../store/index.ts';
import { emptyGraph } from '../core/edit.ts';
import { Canvas } from './canvas/Canvas.tsx';
import { useCommands } from './commands.ts';
import { EditorContext, useEditor, useEditorStore } from './context.ts';
import { DataContext } from './data/context.ts';
import { selectGraph, selectSelected } from '../store/index.ts';
import { HelpOverlay, TemplatePicker } from './Dialogs.tsx';
import { BottomDock } from './panels/BottomDock.tsx';
import { Inspector } from './panels/Inspector.tsx';
import { Palette } from './panels/Palette.tsx';
import { Toasts } from './Toasts.tsx';
import { Toolbar } from './Toolbar.tsx';
import { ModelMenu } from './ModelMenu.tsx';
import { useShortcuts } from './useShortcuts.ts';
import { UnrolledHost } from './inside/UnrollButton.tsx';
import { ErrorBoundary } from './session/ErrorBoundary.tsx';
import { SessionBanner } from './session/SessionBanner.tsx';

export function App({ store, data }: { store: EditorStore; data?: DataStore }) {
  const [dataStore] = useState(() => data ?? createDataStore());
  return (
    <EditorContext.Provider value={store}>
      <DataContext.Provider value={dataStore}>
        <ReactFlowProvider>
          <Editor />
        </ReactFlowProvider>
      </DataContext.Provider>
    </EditorContext.Provider>
  );
}

function Editor() {
  const store = useEditorStore();
  const cmd = useCommands();
  const [dialog, setDialog] = useState<'new' | 'help' | null>(null);
  const [selectMode, setSelectMode] = useState(false);
  const close = useCallback(() => setDialog(null), []);
  const hasSelection = useEditor(selectSelected).length > 0;
  // The inspector opens when the user asks to look at a layer (a click on a node, a summary row or
  // an issue, the toolbar's Inspector button), never because a node was added: a new node keeps the
  // canvas as wide as it was. It closes with the selection (or its close button).
  const [inspecting, setInspecting] = useState(false);
  useEffect(() => { if (!hasSelection) setInspecting(false); }, [hasSelection]);
  const inspect = useCallback(() => setInspecting(true), []);
  const showInspector = inspecting && hasSelection;
  const ui = useMemo(() => ({ help: () => setDialog('help'), anyDialog: dialog !== null, inspector: () => setInspecting((v) => !v), inspect }), [dialog, inspect]);
  useShortcuts(cmd, ui);
  return (
    <div className={`app ${showInspector ? 'with-inspector' : ''}`}>
      <Toolbar cmd={cmd} onNew={() => setDialog('new')} onHelp={() => setDialog('help')} selectMode={selectMode} onSelectMode={setSelectMode}
        modelMenu={<ModelMenu cmd={cmd} />} inspector={showInspector} onInspector={() => setInspecting(!showInspector)} />
      <Region name="the palette"><Palette /></Region>
      <main className="center">
        <SessionBanner />
        <Region name="the canvas"><Canvas selectMode={selectMode} onFiles={(f) => void cmd.openFiles(f)} onInspect={inspect} /></Region>
        <Region name="the unrolled view"><UnrolledHost /></Region>
        <Toasts />
      </main>
      <Region name="the summary and issues panel"><BottomDock onInspect={inspect} /></Region>
      {showInspector && <Region name="the inspector"><Inspector onClose={() => setInspecting(false)} /></Region>}
      {dialog === 'new' && (
        <TemplatePicker
          onClose={close}
          onPick={(t) => { store.getState().load(t.project, { layout: true }); close(); }}
          onBlank={() => { store.getState().load({ name: 'untitled', graph: emptyGraph }); close(); }}
        />
      )}
      {dialog === 'help' && <HelpOverlay onClose={close} />}
    </div>
  );
}

/** An error boundary that tries its region again whenever the document changes. */
function Region({ name, children }: { name: string; children: ReactNode }) {
  const graph = useEditor(selectGraph);
  return <ErrorBoundary name={name} resetKey={graph}>{children}</ErrorBoundary>;
}
