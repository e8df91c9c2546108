/**
 * The editor's frame: toolbar on top, palette left (full height; the lesson panel, with a Layers
 * tab, while the lesson is open), the canvas in the middle with the inspector at its right, and the
 * resizable bottom dock (summary, issues, data, train, inside) under both. Layout lives in
 * styles.css (`.app` grid areas); panels slot into their area. Give it a store (createEditorStore),
 * a data store (createDataStore, linked to the project by main.tsx; a fresh unlinked one when
 * omitted), and optionally the recent-projects and lesson-progress stores; it owns nothing else.
 */
import { lazy, Suspense, useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useStore } from 'zustand';
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
import { HelpOverlay, Modal } from './Dialogs.tsx';
import { ProjectsContext, useProjects, type Projects } from './gallery/context.ts';
import { LESSON_STEP_IDS } from './lesson/ids.ts';
import type { LessonStep } from './lesson/steps.ts';
import type { Template } from '../../templates/index.ts';
import { createRecentStore, openAsNew, openRecent, type RecentStore } from '../store/recent.ts';
import { createLessonStore, type LessonStore } from '../store/lesson.ts';
import type { Project } from '../core/project.ts';
import type { Graph } from '../core/types.ts';
import { useExperimentStore } from './inside/context.ts';
import type { InsideView } from './inside/InsidePanel.tsx';
import { BottomDock, type DockTab } from './panels/BottomDock.tsx';
import { Palette } from './panels/Palette.tsx';
import { Toasts } from './Toasts.tsx';
import { Toolbar } from './Toolbar.tsx';
import { ModelMenu } from './ModelMenu.tsx';
import { useShortcuts } from './useShortcuts.ts';
import { UnrolledHost } from './inside/UnrollButton.tsx';
import { ErrorBoundary } from './session/ErrorBoundary.tsx';
import { SessionBanner } from './session/SessionBanner.tsx';

// Not on screen at start, so loaded when first shown (with a "Loading…" in their place): the lesson
// panel with its steps, the gallery with every template, the inspector. e2e/lazy.spec.ts checks the
// start page does not fetch them.
const Inspector = lazy(() => import('./panels/Inspector.tsx').then((m) => ({ default: m.Inspector })));
const LessonPanel = lazy(() => import('./lesson/LessonPanel.tsx').then((m) => ({ default: m.LessonPanel })));
const GalleryDialog = lazy(() => import('./gallery/GalleryDialog.tsx').then((m) => ({ default: m.GalleryDialog })));
const loading = <p className="muted ok-text">Loading…</p>;

export function App({ store, data, recent, lesson }: { store: EditorStore; data?: DataStore; recent?: RecentStore; lesson?: LessonStore }) {
  const [dataStore] = useState(() => data ?? createDataStore());
  const [projects] = useState<Projects>(() => ({
    recent: recent ?? createRecentStore({ read: () => [], write: () => {} }),
    lesson: lesson ?? createLessonStore({ read: () => null, write: () => {}, known: LESSON_STEP_IDS }),
  }));
  return (
    <EditorContext.Provider value={store}>
      <DataContext.Provider value={dataStore}>
        <ProjectsContext.Provider value={projects}>
          <ReactFlowProvider>
            <Editor />
          </ReactFlowProvider>
        </ProjectsContext.Provider>
      </DataContext.Provider>
    </EditorContext.Provider>
  );
}

function Editor() {
  const store = useEditorStore();
  const { recent, lesson } = useProjects();
  const cmd = useCommands();
  const [dialog, setDialog] = useState<'gallery' | 'help' | null>(null);
  const [selectMode, setSelectMode] = useState(false);
  const [left, setLeft] = useState<'lesson' | 'layers'>('lesson');
  const [dockTab, setDockTab] = useState<DockTab>('summary');
  const [insideView, setInsideView] = useState<{ view: InsideView; n: number } | undefined>(undefined);
  const experiment = useExperimentStore();
  const lessonOpen = useStore(lesson, (s) => s.open);
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

  /** Opens a project as a new document, keeping the current one in Recent, and says so. */
  const openNew = useCallback((project: { name: string; graph: Graph } & Partial<Pick<Project, 'training' | 'dataset'>>, what: string) => {
    const previous = store.getState().name;
    const kept = openAsNew(store, recent, project, { layout: true });
    store.getState().notify('info', `Opened ${what} as a new project.${kept ? ` "${previous}" is in Gallery → Recent.` : ''}`);
    setDialog(null);
  }, [store, recent]);
  const openTemplate = useCallback((t: Template) => openNew(t.project, `the template "${t.title}"`), [openNew]);
  /** The template, and the Inside tab's experiment set up on its task (its length, units, settings and data size). */
  const openExperiment = useCallback((t: Template) => {
    openTemplate(t);
    const rnn = t.project.graph.nodes.find((n) => t.experiment?.kinds.includes(n.kind as never));
    const T = Number(/^adding-(\d+)$/.exec(t.project.dataset?.id ?? '')?.[1]);
    if (!experiment || !t.experiment || !rnn || (T !== 50 && T !== 100 && T !== 200)) return;
    const tr = t.project.training, opts = t.project.dataset?.options ?? {};
    experiment.getState().setConfig({
      kinds: t.experiment.kinds, T, units: rnn.params.units as number, epochs: tr.epochs, learning_rate: tr.learning_rate, batch_size: tr.batch_size,
      ...(typeof opts.size === 'number' ? { size: opts.size } : {}),
    });
    setDockTab('inside');
    setInsideView((v) => ({ view: 'experiment', n: (v?.n ?? 0) + 1 }));
  }, [openTemplate, experiment]);
  // The lesson's modules are loaded by then (the lesson panel or the gallery asked for the step).
  const openStep = useCallback((step: LessonStep) => {
    lesson.getState().goTo(step.id);
    setLeft('lesson');
    void import('./lesson/open.ts').then(({ stepProject }) => openNew(stepProject(step), `lesson step ${LESSON_STEP_IDS.indexOf(step.id) + 1}`));
  }, [lesson, openNew]);
  const openStepById = useCallback((id: string) => {
    void import('./lesson/steps.ts').then(({ LESSON_STEPS }) => { const step = LESSON_STEPS.find((s) => s.id === id); if (step) openStep(step); });
  }, [openStep]);
  const openTemplateById = useCallback((id: string) => {
    void import('../../templates/index.ts').then(({ getTemplate }) => { const t = getTemplate(id); if (t) openTemplate(t); });
  }, [openTemplate]);
  const toggleLesson = useCallback(() => {
    const s = lesson.getState();
    if (s.open && left === 'lesson') return s.setOpen(false);
    s.setOpen(true);
    setLeft('lesson');
  }, [lesson, left]);

  const showLesson = lessonOpen;
  return (
    <div className={`app ${showInspector ? 'with-inspector' : ''} ${showLesson ? 'with-lesson' : ''}`}>
      <Toolbar cmd={cmd} onGallery={() => setDialog('gallery')} onHelp={() => setDialog('help')} selectMode={selectMode} onSelectMode={setSelectMode}
        onLesson={toggleLesson} lessonOpen={showLesson && left === 'lesson'}
        modelMenu={<ModelMenu cmd={cmd} />} inspector={showInspector} onInspector={() => setInspecting(!showInspector)} />
      <Region name="the lesson and palette">{showLesson ? (
        <aside className="left-panel" aria-label="Lesson and layers">
          <div className="left-tabs" role="tablist">
            <button role="tab" aria-selected={left === 'lesson'} onClick={() => setLeft('lesson')}>Lesson</button>
            <button role="tab" aria-selected={left === 'layers'} onClick={() => setLeft('layers')}>Layers</button>
          </div>
          {left === 'lesson'
            ? <Suspense fallback={loading}>
                <LessonPanel onOpenStep={openStep} onClose={() => lesson.getState().setOpen(false)} onShowTab={setDockTab} onOpenTemplate={openTemplateById} />
              </Suspense>
            : <Palette />}
        </aside>
      ) : <Palette />}</Region>
      <main className="center">
        <SessionBanner />
        <Region name="the canvas"><Canvas selectMode={selectMode} onFiles={(f) => void cmd.openFiles(f)} onInspect={inspect} /></Region>
        <Region name="the unrolled view"><UnrolledHost /></Region>
        <Toasts />
      </main>
      <Region name="the summary and issues panel"><BottomDock onInspect={inspect} tab={dockTab} onTab={setDockTab} insideView={insideView} /></Region>
      {showInspector && (
        <Region name="the inspector">
          <Suspense fallback={<aside className="inspector" aria-label="Inspector">{loading}</aside>}><Inspector onClose={() => setInspecting(false)} /></Suspense>
        </Region>
      )}
      {dialog === 'gallery' && (
        <Suspense fallback={<Modal title="Gallery" onClose={close} className="gallery-modal">{loading}</Modal>}>
          <GalleryDialog
            onClose={close}
            onOpenTemplate={openTemplate}
            onOpenBlank={() => openNew({ name: 'untitled', graph: emptyGraph }, 'a blank canvas')}
            onOpenRecent={(id) => {
              const previous = store.getState().name;
              const r = openRecent(store, recent, id);
              if (!r.ok) store.getState().notify('error', r.error);
              else store.getState().notify('info', `Opened "${store.getState().name}".${r.kept ? ` "${previous}" is in Gallery → Recent.` : ''}`);
              setDialog(null);
            }}
            onRemoveRecent={(id) => recent.getState().remove(id)}
            onOpenLessonStep={openStepById}
            onOpenExperiment={experiment ? openExperiment : undefined}
          />
        </Suspense>
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
