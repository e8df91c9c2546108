/**
 * The editor's frame: toolbar on top, palette left, canvas centre with the summary/issues dock
 * below, inspector right. Give it a store (createEditorStore) and a data store (createDataStore,
 * linked to the project by main.tsx; a fresh unlinked one when omitted); it owns nothing else.
 */
import { useCallback, useMemo, useState } from 'react';
import { ReactFlowProvider } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import './styles.css';
import { createDataStore, type DataStore, type EditorStore } from '../store/index.ts';
import { emptyGraph } from '../core/edit.ts';
import { Canvas } from './canvas/Canvas.tsx';
import { useCommands } from './commands.ts';
import { EditorContext, useEditor, useEditorStore } from './context.ts';
import { DataContext } from './data/context.ts';
import { selectSelected } from '../store/index.ts';
import { HelpOverlay, TemplatePicker } from './Dialogs.tsx';
import { BottomDock } from './panels/BottomDock.tsx';
import { Inspector } from './panels/Inspector.tsx';
import { Palette } from './panels/Palette.tsx';
import { Toasts } from './Toasts.tsx';
import { Toolbar } from './Toolbar.tsx';
import { ModelMenu } from './ModelMenu.tsx';
import { useShortcuts } from './useShortcuts.ts';
import { UnrolledHost } from './inside/UnrollButton.tsx';

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
  const ui = useMemo(() => ({ help: () => setDialog('help'), anyDialog: dialog !== null }), [dialog]);
  useShortcuts(cmd, ui);
  const hasSelection = useEditor(selectSelected).length > 0;
  return (
    <div className={`app ${hasSelection ? 'with-inspector' : ''}`}>
      <Toolbar cmd={cmd} onNew={() => setDialog('new')} onHelp={() => setDialog('help')} selectMode={selectMode} onSelectMode={setSelectMode}
        modelMenu={<ModelMenu cmd={cmd} />} />
      <Palette />
      <main className="center">
        <Canvas selectMode={selectMode} onFile={(f) => void cmd.openFile(f)} />
        <UnrolledHost />
        <Toasts />
        <BottomDock />
      </main>
      {hasSelection && <Inspector />}
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
