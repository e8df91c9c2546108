/**
 * Entry point: make the store, restore the autosaved document (or open the sentiment template),
 * autosave every change to IndexedDB, render the editor. TF.js is not imported here (it loads lazily).
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { get as idbGet, set as idbSet } from 'idb-keyval';
import { getTemplate } from '../templates/index.ts';
import {
  AUTOSAVE_KEY, CSV_KEY, attachAutosave, attachCsvPersistence, createDataStore, createEditorStore, linkDataToProject, openProject, parseProjectAsync, restoreCsv,
  type DataStore, type EditorStore,
} from './store/index.ts';
import { App } from './ui/App.tsx';
import { createTrainStore, type TrainStore } from './store/trainStore.ts';
import { ownTrainingClient, trainingClient } from './tf/train/client.ts';
import { TrainContext } from './ui/train/context.ts';
import { createInsideStore, type InsideStore } from './store/insideStore.ts';
import { ExperimentContext, InsideContext } from './ui/inside/context.ts';
import { createExperimentStore, type ExperimentStore } from './store/experiment.ts';

declare global {
  interface Window {
    /** Test API for end-to-end set-up and the benchmark. */
    __unroll?: { store: EditorStore; flush: () => void; train?: TrainStore; data?: DataStore; inside?: InsideStore; experiment?: ExperimentStore };
  }
}

async function boot() {
  const store = createEditorStore();
  let restored = false;
  try {
    const text = await idbGet<string>(AUTOSAVE_KEY);
    if (typeof text === 'string') {
      // In steps: a large autosaved graph must not freeze the page while it opens.
      const r = await parseProjectAsync(text);
      if (r.ok) {
        await openProject(store, r.project, { fresh: true });
        restored = true;
      } else store.getState().notify('error', `The autosaved project could not be restored (${r.error}); opened the sentiment template.`);
    }
  } catch {
    // IndexedDB unavailable (private mode): start from the template.
  }
  if (!restored) store.getState().load(getTemplate('sentiment')!.project, { fresh: true, layout: true });

  const autosave = attachAutosave(store, {
    write: (t) => idbSet(AUTOSAVE_KEY, t),
    onError: () => store.getState().notify('error', 'Autosave failed: this browser refused to store the project. Save a file to keep your work.'),
  });
  addEventListener('pagehide', autosave.flush);
  addEventListener('visibilitychange', () => { if (document.visibilityState === 'hidden') autosave.flush(); });
  // Training runs in a worker made on the first start; the client module is small and TF.js-free.
  const train = createTrainStore({ client: trainingClient() });
  // The data panel's store; the project's dataset choice follows it (and shows a restored one).
  const data = createDataStore();
  linkDataToProject(data, store);
  // An uploaded CSV is kept in IndexedDB (the project file cannot hold it) and put back on reload.
  if (restored) {
    try {
      restoreCsv(data, store, await idbGet(CSV_KEY));
    } catch {
      // IndexedDB unavailable: the upload has to be chosen again.
    }
  }
  attachCsvPersistence(data, store, {
    write: (saved) => idbSet(CSV_KEY, saved),
    onError: () => store.getState().notify('info', 'The uploaded CSV could not be kept for the next visit (browser storage refused it).'),
  });
  // The inside views (unrolled view, look inside, gradients through time) talk to the same worker.
  const inside = createInsideStore({ client: trainingClient() });
  // The vanishing-gradient experiment trains in a worker of its own, made when it first starts.
  const experiment = createExperimentStore(ownTrainingClient);
  window.__unroll = { store, flush: autosave.flush, train, data, inside, experiment };

  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <TrainContext.Provider value={train}>
        <InsideContext.Provider value={inside}>
          <ExperimentContext.Provider value={experiment}>
            <App store={store} data={data} />
          </ExperimentContext.Provider>
        </InsideContext.Provider>
      </TrainContext.Provider>
    </StrictMode>,
  );
}

void boot();
