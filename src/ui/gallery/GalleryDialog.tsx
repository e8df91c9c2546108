/**
 * The gallery: every template with a picture of its graph, its task, size, dataset, the result it
 * reaches and how long that takes, and what it teaches; a blank canvas; and the recent projects.
 * Whatever opens here opens as a new project — the current one goes to Recent first (openAsNew).
 */
import { useMemo, useState } from 'react';
import { TEMPLATES, type Template } from '../../../templates/index.ts';
import { Modal } from '../Dialogs.tsx';
import { cardOf } from './cards.ts';
import { useRecent } from './context.ts';
import { LESSON_STEPS } from '../lesson/steps.ts';
import { Formula } from '../lesson/Formula.tsx';
import './gallery.css';

export interface GalleryProps {
  readonly onClose: () => void;
  readonly onOpenTemplate: (t: Template) => void;
  readonly onOpenBlank: () => void;
  readonly onOpenRecent: (id: string) => void;
  readonly onRemoveRecent: (id: string) => void;
  /** Opens the lesson at a step (the template's lesson step). */
  readonly onOpenLessonStep: (stepId: string) => void;
  /** Opens the template and its side-by-side experiment (Inside tab), when it has one. */
  readonly onOpenExperiment?: (t: Template) => void;
}

function ago(ms: number, now: number): string {
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return new Date(ms).toLocaleDateString();
}

export function GalleryDialog(p: GalleryProps) {
  const [tab, setTab] = useState<'templates' | 'recent'>('templates');
  const [selected, setSelected] = useState(TEMPLATES[0].id);
  const entries = useRecent((s) => s.entries);
  const t = TEMPLATES.find((x) => x.id === selected) ?? TEMPLATES[0];
  const now = useMemo(() => Date.now(), []);
  return (
    <Modal title="Gallery" onClose={p.onClose} className="gallery-modal">
      <div className="gallery-tabs" role="tablist" aria-label="Gallery sections">
        <button role="tab" aria-selected={tab === 'templates'} onClick={() => setTab('templates')}>Templates <span className="count">{TEMPLATES.length}</span></button>
        <button role="tab" aria-selected={tab === 'recent'} onClick={() => setTab('recent')}>Recent <span className="count">{entries.length}</span></button>
        <span className="muted gallery-note">Opens as a new project; the current one stays in Recent.</span>
      </div>
      {tab === 'templates' ? (
        <div className="gallery" role="tabpanel" aria-label="Templates">
          <ul className="gallery-list" aria-label="Templates">
            {TEMPLATES.map((x) => {
              const c = cardOf(x);
              return (
                <li key={x.id}>
                  <button className={`gallery-card ${x.id === t.id ? 'selected' : ''}`} aria-label={`Template: ${x.title}`} aria-pressed={x.id === t.id}
                    onClick={() => setSelected(x.id)} onDoubleClick={() => p.onOpenTemplate(x)}>
                    <img className="thumb" src={c.picture} alt="" draggable={false} />
                    <span className="card-title">{x.title}</span>
                    <span className="card-meta"><span className="pattern">{x.pattern}</span> · {c.params.toLocaleString('en-US')} params</span>
                  </button>
                </li>
              );
            })}
            <li>
              <button className="gallery-card blank" aria-label="Blank canvas" onClick={p.onOpenBlank}>
                <span className="card-title">Blank canvas</span>
                <span className="card-meta">An empty model: add an Input from the palette.</span>
              </button>
            </li>
          </ul>
          <Detail t={t} {...p} />
        </div>
      ) : (
        <div className="gallery-recent" role="tabpanel" aria-label="Recent projects">
          {entries.length === 0 ? <p className="muted">Nothing yet. When you open a template, a lesson step or a blank canvas, the project you were working on is kept here.</p> : (
            <ul aria-label="Recent projects">
              {entries.map((e) => (
                <li key={e.id}>
                  <span className="recent-name">{e.name}</span>
                  <span className="muted">{e.layers} layer{e.layers === 1 ? '' : 's'} · {ago(e.savedAt, now)}</span>
                  <button className="button primary" aria-label={`Open ${e.name}`} onClick={() => p.onOpenRecent(e.id)}>Open</button>
                  <button className="button" aria-label={`Remove ${e.name} from the list`} onClick={() => p.onRemoveRecent(e.id)}>Remove</button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </Modal>
  );
}

function Detail({ t, onOpenTemplate, onOpenLessonStep, onOpenExperiment }: { t: Template } & GalleryProps) {
  const c = cardOf(t);
  const step = t.lessonStep ? LESSON_STEPS.findIndex((s) => s.id === t.lessonStep) : -1;
  const twin = t.compareWith ? TEMPLATES.find((x) => x.id === t.compareWith) : undefined;
  return (
    <article className="gallery-detail" aria-label={`About ${t.title}`}>
      <div className="picture"><img src={c.picture} alt={`The graph of ${t.title}`} draggable={false} /></div>
      <h3>{t.title}</h3>
      <p className="facts">
        <span className="chip pattern">{t.pattern}</span>
        <span className="chip">{c.params.toLocaleString('en-US')} parameters</span>
        <span className="chip">{c.layers} layer{c.layers === 1 ? '' : 's'}</span>
        <span className="chip">data: {c.dataset}</span>
      </p>
      <p className="desc">{t.description}</p>
      <p className="result" aria-label="Expected result"><b>Reaches</b> {c.result}{c.time ? <>, <b>{c.time}</b> here (2 CPU cores)</> : null}.</p>
      <p className="teaches">{t.teaches}</p>
      <p className="equation" aria-label="Key equation"><Formula text={t.equation} /></p>
      <div className="actions">
        <button className="button primary" onClick={() => onOpenTemplate(t)} aria-label={`Open ${t.title}`}>Open</button>
        {step >= 0 && <button className="button" onClick={() => onOpenLessonStep(t.lessonStep!)}>Lesson step {step + 1}: {LESSON_STEPS[step].title}</button>}
        {t.experiment && onOpenExperiment && (
          <button className="button" onClick={() => onOpenExperiment(t)}>{t.experiment.kinds.join(' vs ')} side by side, gradients through time</button>
        )}
        {twin && <button className="button" onClick={() => onOpenTemplate(twin)} aria-label={`Open ${twin.title}`}>Compare: {twin.title}</button>}
      </div>
    </article>
  );
}
