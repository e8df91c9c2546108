/**
 * Entry point: make the store, restore the autosaved document safely (store/session.ts: a document
 * that cannot be opened, or that stopped the last start, is kept aside and an empty project opens),
 * autosave every change to IndexedDB (with a synchronous copy on pagehide), one owner tab per
 * project (Web Locks), report storage refusals, say when a reload interrupted training, render the
 * editor inside an error boundary. TF.js is not imported here (it loads lazily).
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createStore as idbStore, del as idbDel, get as idbGet, keys as idbKeys, set as idbSet } from 'idb-keyval';
import { attachWeightsPersistence, createWeightsStore, linkWeights, restoreWeights, WEIGHTS_KEY, type WeightsStore } from './store/weightsStore.ts';
import { WeightsContext } from './ui/model/context.ts';
import { DEFAULT_PROJECT } from '../templates/default.ts';
import {
  AUTOSAVE_KEY, CSV_ENTRY, CSV_KEY, attachAutosave, attachCsvPersistence, createDataStore, createEditorStore, linkDataToProject, openProject,
  parseProjectAsync, restoreCsv, type DataStore, type EditorStore,
} from './store/index.ts';
import { markStarted, PENDING_KEY, restoreSession, type Recovery, type Rejected, type SessionIo } from './store/session.ts';
import { attachRunMarker, takeInterruptedRun } from './store/runMarker.ts';
import { ErrorBoundary } from './ui/session/ErrorBoundary.tsx';
import { AppFallback } from './ui/session/AppFallback.tsx';
import { SessionContext, type SessionApi } from './ui/session/SessionBanner.tsx';
import { createTabLock } from './ui/session/tabs.ts';
import { download } from './ui/files.ts';
import { App } from './ui/App.tsx';
import { createTrainStore, type TrainStore } from './store/trainStore.ts';
import { ownTrainingClient, trainingClient } from './tf/train/client.ts';
import { TrainContext } from './ui/train/context.ts';
import { createInsideStore, type InsideStore } from './store/insideStore.ts';
import { ExperimentContext, InsideContext } from './ui/inside/context.ts';
import { createExperimentStore, type ExperimentStore } from './store/experiment.ts';
import { createRunsRepository, type RunStorage } from './store/runs.ts';
import { attachRunRecorder, createRunsStore, type RunsStore } from './store/runsStore.ts';
import { RunsContext } from './ui/runs/context.ts';
import { createRecentStore, docSignature, RECENT_KEY, type RecentStore } from './store/recent.ts';
import { createLessonStore, LESSON_KEY, type LessonStore } from './store/lesson.ts';
import { LESSON_STEP_IDS } from './ui/lesson/ids.ts';
import { createResultsStore, type ResultsStore } from './store/resultsStore.ts';
import { ResultsContext } from './ui/results/context.ts';

declare global {
  interface Window {
    /** Test API for end-to-end set-up and the benchmark. */
    __unroll?: { store: EditorStore; flush: () => void; train?: TrainStore; data?: DataStore; inside?: InsideStore; experiment?: ExperimentStore; runs?: RunsStore; weights?: WeightsStore; recent?: RecentStore; lesson?: LessonStore; results?: ResultsStore };
  }
}

/** localStorage, or null where the browser refuses it. */
function localStore(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/** A storage refusal in words: a full quota says so. */
function storageMessage(e: unknown, what: string): string {
  const name = (e as DOMException)?.name;
  if (name === 'QuotaExceededError' || /quota/i.test(String((e as Error)?.message ?? ''))) {
    return `Browser storage is full: ${what} was not saved. Save a file (Save) to keep your work, or free space for this site in the browser's settings.`;
  }
  return `The browser refused to store ${what} (${name || 'storage error'}). Save a file (Save) to keep your work.`;
}

async function boot() {
  const store = createEditorStore();
  const data = createDataStore();
  const local = localStore();
  const io: SessionIo = { get: (k) => idbGet(k), set: (k, v) => idbSet(k, v), local };
  const session = await restoreSession(store, data, io, () => store.getState().load(DEFAULT_PROJECT, { fresh: true, layout: true }));
  const interrupted = takeInterruptedRun(local);
  // Recent projects: what a template, lesson step or blank canvas replaced (IndexedDB). The default
  // template, untouched, is not worth keeping; a restored document is the user's work.
  const recent = createRecentStore({
    read: () => idbGet(RECENT_KEY),
    write: (entries) => idbSet(RECENT_KEY, entries),
    onError: () => store.getState().notify('info', 'The list of recent projects could not be stored in this browser.'),
  });
  if (!session.restored) recent.getState().setBaseline(docSignature(store.getState()));
  void recent.getState().restore();
  // Where the learner is on the lesson path (small, synchronous: localStorage).
  const lesson = createLessonStore({
    read: () => { try { return localStorage.getItem(LESSON_KEY); } catch { return null; } },
    write: (t) => localStorage.setItem(LESSON_KEY, t),
    known: LESSON_STEP_IDS,
  });

  // One tab owns the project and autosaves it; the others say so (and may take over).
  const tabs = createTabLock();
  const autosave = attachAutosave(store, {
    write: (t) => idbSet(AUTOSAVE_KEY, t),
    writeSync: (t) => local?.setItem(PENDING_KEY, t),
    onSaved: (t) => { if (local?.getItem(PENDING_KEY) === t) local.removeItem(PENDING_KEY); },
    enabled: () => tabs.getState().status === 'owner',
    onError: (e) => store.getState().notify('error', storageMessage(e, 'the project')),
  });
  addEventListener('pagehide', autosave.flush);
  addEventListener('visibilitychange', () => { if (document.visibilityState === 'hidden') autosave.flush(); });
  // Training runs in a worker made on the first start; the client module is small and TF.js-free.
  const train = createTrainStore({ client: trainingClient() });
  attachRunMarker(train, local);
  // The project's dataset choice follows the data panel (and shows a restored one).
  linkDataToProject(data, store);
  attachCsvPersistence(data, store, {
    write: (saved) => idbSet(CSV_KEY, saved),
    onError: (e) => store.getState().notify('info', storageMessage(e, 'the uploaded CSV (it is needed again after a reload)')),
  });
  // The weights that came with an opened model: kept in IndexedDB (the project file cannot hold them),
  // restored for the same project, handed to the worker (runs, predictions, look inside start from them).
  const weights = createWeightsStore();
  if (session.restored) {
    try {
      restoreWeights(weights, store, await idbGet(WEIGHTS_KEY));
    } catch {
      // IndexedDB unavailable: the model has to be opened again for its weights.
    }
  }
  linkWeights(weights, store, trainingClient());
  attachWeightsPersistence(weights, {
    write: (saved) => (saved ? idbSet(WEIGHTS_KEY, saved) : idbDel(WEIGHTS_KEY)),
    onError: () => store.getState().notify('info', 'The loaded weights could not be kept for the next visit (browser storage refused them): open the model file again after a reload.'),
  });
  // The inside views (unrolled view, look inside, gradients through time) talk to the same worker.
  const inside = createInsideStore({ client: trainingClient() });
  // The vanishing-gradient experiment trains in a worker of its own, made when it first starts.
  const experiment = createExperimentStore(ownTrainingClient);
  // Every training run is kept (settings, graph, curves, metrics, weights) in IndexedDB of its own.
  const runsDb = idbStore('unroll-runs', 'runs');
  const runStorage: RunStorage = {
    get: (k) => idbGet(k, runsDb),
    set: (k, v) => idbSet(k, v, runsDb),
    del: (k) => idbDel(k, runsDb),
    keys: async () => (await idbKeys(runsDb)).map(String),
  };
  const runs = createRunsStore({ repo: createRunsRepository(runStorage) });
  void runs.getState().load();
  attachRunRecorder({ train, runs, weights: () => trainingClient().trainedWeights(), onMessage: (m) => store.getState().notify('info', m) });
  // Evaluate, generate, decode, try it, call: asked of the same worker (the current model).
  const results = createResultsStore({ client: trainingClient() });
  window.__unroll = { store, flush: autosave.flush, train, data, inside, experiment, runs, weights, recent, lesson, results };

  const api: SessionApi = {
    recovered: session.recovered,
    async download(r: Recovery) {
      const kept = (await idbGet(r.key)) as Rejected | undefined;
      if (!kept) return store.getState().notify('error', 'The kept copy is no longer in this browser.');
      download(r.what === 'project' ? `autosave-not-opened-${kept.at.slice(0, 10)}.unroll.json` : `csv-not-restored-${kept.at.slice(0, 10)}.json`, kept.text);
    },
    async retry(r: Recovery) {
      const kept = (await idbGet(r.key)) as Rejected | undefined;
      if (!kept) return;
      if (r.what === 'csv') {
        try {
          restoreCsv(data, store, JSON.parse(kept.text));
        } catch (e) {
          store.getState().notify('error', `The CSV could not be restored: ${String((e as Error)?.message ?? e).slice(0, 200)}`);
        }
        return;
      }
      const p = await parseProjectAsync(kept.text);
      if (!p.ok) return store.getState().notify('error', `The kept project cannot be opened: ${p.error.slice(0, 300)}`);
      await openProject(store, p.project);
    },
    tabs,
    onTakeOver: () => autosave.saveNow(),
    interrupted,
    trainAgain() {
      const s = store.getState();
      const d = data.getState();
      train.getState().start({ graph: s.graph, training: s.extras.training, dataset: s.extras.dataset }, d.entry === CSV_ENTRY && d.dataset ? d.dataset : undefined);
    },
  };

  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <ErrorBoundary name="the editor" fallback={(error, reset) => <AppFallback error={error} store={store} reset={reset} />}>
        <SessionContext.Provider value={api}>
          <TrainContext.Provider value={train}>
            <RunsContext.Provider value={runs}>
             <ResultsContext.Provider value={results}>
              <InsideContext.Provider value={inside}>
                <ExperimentContext.Provider value={experiment}>
                  <WeightsContext.Provider value={weights}>
                    <App store={store} data={data} recent={recent} lesson={lesson} />
                  </WeightsContext.Provider>
                </ExperimentContext.Provider>
              </InsideContext.Provider>
             </ResultsContext.Provider>
            </RunsContext.Provider>
          </TrainContext.Provider>
        </SessionContext.Provider>
      </ErrorBoundary>
    </StrictMode>,
  );
  // The start is over once the editor is interactive: the next start opens the autosave normally
  // (until then, a crash, a freeze or a reload makes the next start keep the document aside).
  const started = () => markStarted(io);
  if (document.documentElement.dataset.ready === 'true') started();
  else new MutationObserver((_, obs) => {
    if (document.documentElement.dataset.ready !== 'true') return;
    obs.disconnect();
    started();
  }).observe(document.documentElement, { attributes: true, attributeFilter: ['data-ready'] });
}

void boot();
