/**
 * What the start of this page has to say, above the canvas: a saved project or CSV that was not
 * opened (why, download it, try again), another tab on the same project (this one does not
 * autosave; continue here), a training run a reload interrupted (train it again). Each banner can
 * be closed. The session (main.tsx) gives the storage behind the buttons.
 */
import { createContext, useContext, useState } from 'react';
import { useStore } from 'zustand/react';
import type { Recovery } from '../../store/session.ts';
import type { InterruptedRun } from '../../store/runMarker.ts';
import type { TabLock, TabStatus } from './tabs.ts';
import { short } from './ErrorBoundary.tsx';

export interface SessionApi {
  /** Saved documents that were kept aside at start. */
  readonly recovered: readonly Recovery[];
  /** Downloads what was kept aside. */
  download(r: Recovery): Promise<void>;
  /** Opens what was kept aside again. */
  retry(r: Recovery): Promise<void>;
  readonly tabs: TabLock | null;
  /** Called after this tab takes the project over (writes its document now). */
  onTakeOver(): void;
  /** A run the last page did not finish. */
  readonly interrupted: InterruptedRun | null;
  /** Starts a run on the document as it is (the Train tab's Train button). */
  trainAgain(): void;
}

export const SessionContext = createContext<SessionApi | null>(null);

const TAB_TEXT: Record<Exclude<TabStatus, 'owner'>, string> = {
  'other-tab': 'This project is open in another Unroll tab. This tab does not autosave, so the two cannot overwrite each other.',
  'taken-over': 'You continued in another tab: this tab no longer autosaves.',
  'other-closed': 'The other tab was closed. Reload to open what it saved last, or continue here with this tab’s version (it replaces the other’s).',
};

const noTabs = { getState: () => ({ status: 'owner' as TabStatus }), subscribe: () => () => {} };

export function SessionBanner() {
  const api = useContext(SessionContext);
  const [closed, setClosed] = useState<ReadonlySet<string>>(new Set());
  const tabStatus = useStore((api?.tabs ?? noTabs) as TabLock, (s) => s.status);
  const [busy, setBusy] = useState(false);
  if (!api) return null;
  const close = (id: string) => setClosed(new Set([...closed, id]));
  const items: { id: string; level: 'error' | 'warning' | 'info'; text: string; actions: [string, () => void][] }[] = [];
  for (const r of api.recovered) {
    const id = `recovered:${r.key}`;
    items.push({
      id, level: 'error',
      text: r.what === 'project'
        ? `Your autosaved project was not opened: ${short(r.reason)}. An empty project was opened instead; the saved one is kept.`
        : `The CSV kept for this project was not restored: ${short(r.reason)}. It is kept; pick the data again in the Data tab.`,
      actions: [
        ['Download it', () => void api.download(r)],
        ['Try opening it again', () => { close(id); void api.retry(r); }],
      ],
    });
  }
  if (tabStatus !== 'owner' && api.tabs) {
    const tabs = api.tabs;
    items.push({
      id: `tabs:${tabStatus}`, level: 'warning', text: TAB_TEXT[tabStatus],
      actions: [
        ['Continue here', () => { setBusy(true); void tabs.getState().takeOver().then(() => { setBusy(false); api.onTakeOver(); }); }],
        ...(tabStatus !== 'other-tab' ? [['Reload', () => location.reload()] as [string, () => void]] : []),
      ],
    });
  }
  if (api.interrupted) {
    const r = api.interrupted;
    items.push({
      id: 'interrupted', level: 'info',
      text: `A training run was interrupted when the page reloaded${r.epochs ? ` (at epoch ${Math.max(1, r.epoch)} of ${r.epochs})` : ''}. Its progress is lost.`,
      actions: [['Train again', () => { close('interrupted'); api.trainAgain(); }]],
    });
  }
  const shown = items.filter((i) => !closed.has(i.id));
  if (!shown.length) return null;
  return (
    <div className="session-banners">
      {shown.map((i) => (
        <div key={i.id} className={`session-banner ${i.level}`} role={i.level === 'error' ? 'alert' : 'status'}>
          <span className="session-text">{i.text}</span>
          {i.actions.map(([label, run]) => <button key={label} type="button" disabled={busy} onClick={run}>{label}</button>)}
          <button type="button" className="session-close" aria-label="Dismiss" onClick={() => close(i.id)}>×</button>
        </div>
      ))}
    </div>
  );
}
