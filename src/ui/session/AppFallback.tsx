/**
 * What the page shows when the editor itself fails to render: the error, and the way out —
 * download the document as it is (the store still holds it), open an empty project, reload.
 */
import { emptyGraph } from '../../core/edit.ts';
import { fileNameFor, serializeDoc, type EditorStore } from '../../store/index.ts';
import { download } from '../files.ts';
import { short } from './ErrorBoundary.tsx';

export function AppFallback({ error, store, reset }: { error: Error; store: EditorStore; reset: () => void }) {
  const save = () => {
    const s = store.getState();
    download(fileNameFor(s.name), serializeDoc(s));
  };
  const empty = () => {
    store.getState().load({ name: 'untitled', graph: emptyGraph }, { fresh: true });
    reset();
  };
  return (
    <div className="app-fallback" role="alert">
      <h1>The editor stopped with an error</h1>
      <p><code>{short(error.message)}</code></p>
      <p>Your project is still here. Download it to keep it, then open an empty project or reload.</p>
      <p className="app-fallback-actions">
        <button type="button" onClick={save}>Download the project</button>
        <button type="button" onClick={empty}>Open an empty project</button>
        <button type="button" onClick={() => location.reload()}>Reload</button>
      </p>
    </div>
  );
}
