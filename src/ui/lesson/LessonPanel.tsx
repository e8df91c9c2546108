/**
 * The lesson path, beside the canvas: the step's title, what to notice, its key equation, the
 * lesson's Keras code, the summary as the lesson prints it (Sequential or functional), and one
 * thing to try — ticked off when the learner's graph (or their finished run) shows the stated
 * effect. The canvas stays fully editable; the step's graph opens as a new project (the previous
 * one goes to Recent), and the position on the path is kept across reloads.
 */
import { useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import { summarize } from '../../core/summary.ts';
import { selectGraph } from '../../store/index.ts';
import { TrainContext } from '../train/context.ts';
import type { TrainState } from '../../store/trainStore.ts';
import { useEditor, useEditorStore } from '../context.ts';
import { useLesson, useProjects } from '../gallery/context.ts';
import { applyAction, effectHolds } from './check.ts';
import { LESSON_STEPS, type LessonStep } from './steps.ts';
import { stepProjectName } from './open.ts';
import { Formula } from './Formula.tsx';
import './lesson.css';

/** `code` spans in a text. */
export function Rich({ text }: { text: string }): ReactNode {
  return text.split(/(`[^`]+`)/).map((part, k) => (part.startsWith('`') && part.endsWith('`') && part.length > 1 ? <code key={k}>{part.slice(1, -1)}</code> : part));
}

/** Stands in for the train store when the App is rendered without one (nothing trains). */
const noTraining = createStore<Pick<TrainState, 'test' | 'status'>>()(() => ({ test: null, status: 'idle' }));

/** The latest run's test metrics, once it is done. */
function useTrainTest(): { test: { loss: number; accuracy?: number } | null; done: boolean } {
  const store: typeof noTraining = useContext(TrainContext) ?? noTraining;
  const test = useStore(store, (s) => s.test);
  const done = useStore(store, (s) => s.status === 'done');
  return { test, done };
}

export interface LessonPanelProps {
  /** Opens a step's graph as a new project. */
  readonly onOpenStep: (step: LessonStep) => void;
  /** Opens a template (the gallery's way: a new project). */
  readonly onOpenTemplate: (id: string) => void;
  /** Opens a dock tab (the classifier step trains). */
  readonly onShowTab?: (tab: 'train' | 'summary') => void;
  readonly onClose: () => void;
}

export function LessonPanel({ onOpenStep, onOpenTemplate, onShowTab, onClose }: LessonPanelProps) {
  const { lesson } = useProjects();
  const stepId = useLesson((s) => s.step) ?? LESSON_STEPS[0].id;
  const done = useLesson((s) => s.done);
  const index = Math.max(0, LESSON_STEPS.findIndex((s) => s.id === stepId));
  const step = LESSON_STEPS[index];
  const name = useEditor((s) => s.name);
  const graph = useEditor(selectGraph);
  const inference = useEditor((s) => s.inference);
  const editor = useEditorStore();
  const here = name === stepProjectName(step);
  const { test, done: runDone } = useTrainTest();
  const [copied, setCopied] = useState(false);

  const summary = useMemo(() => (here ? summarize(graph, inference, { as: step.form }) : null), [here, graph, inference, step.form]);
  const seen = here && summary !== null && effectHolds(step.tryThis.effect, {
    graph, inference, summary: summarize(graph, inference), test: runDone ? test : null,
  });
  useEffect(() => { if (seen) lesson.getState().markDone(step.id); }, [seen, lesson, step.id]);

  const go = (k: number) => {
    const next = LESSON_STEPS[k];
    lesson.getState().goTo(next.id);
    onOpenStep(next);
  };
  const doIt = () => {
    const a = step.tryThis.action;
    if (a.type === 'train') { onShowTab?.('train'); return; }
    const s = editor.getState();
    try {
      s.replaceGraph(applyAction(s.graph, a));
    } catch (e) {
      s.notify('error', (e as Error).message);
    }
  };
  const copy = () => {
    void navigator.clipboard?.writeText(step.code).then(() => { setCopied(true); setTimeout(() => setCopied(false), 1500); }, () => {});
  };

  return (
    <section className="lesson" aria-label="Lesson">
      <header className="lesson-head">
        <div>
          <span className="lesson-section">{step.section}</span>
          <h2>Step {index + 1} of {LESSON_STEPS.length}: {step.title}</h2>
        </div>
        <button className="icon-button" aria-label="Close the lesson" title="Close the lesson (your place is kept)" onClick={onClose}>×</button>
      </header>
      <ol className="lesson-steps" aria-label="Lesson steps">
        {LESSON_STEPS.map((s, k) => (
          <li key={s.id}>
            <button aria-label={`Step ${k + 1}: ${s.title}${done.includes(s.id) ? ' (done)' : ''}`} aria-current={k === index ? 'step' : undefined}
              className={`${k === index ? 'current' : ''} ${done.includes(s.id) ? 'done' : ''}`} onClick={() => go(k)}>{k + 1}</button>
          </li>
        ))}
      </ol>
      <div className="lesson-body">
        {!here && (
          <div className="lesson-open">
            <p>This step's model is not on the canvas.</p>
            <button className="button primary" onClick={() => onOpenStep(step)}>Open step {index + 1}'s model</button>
          </div>
        )}
        <p className="lesson-notice"><Rich text={step.notice} /></p>
        {step.equation && <p className="lesson-equation" aria-label="Equation"><Formula text={step.equation} /></p>}
        <div className="lesson-code">
          <div className="lesson-code-head">
            <span>The lesson's Keras code</span>
            <button className="link-button" onClick={copy} aria-label="Copy the code">{copied ? 'Copied' : 'Copy'}</button>
          </div>
          <pre aria-label="Keras code">{step.code}</pre>
          {step.codeNote && <p className="lesson-code-note muted">{step.codeNote}</p>}
        </div>
        {summary && (
          <table className="lesson-summary" aria-label={`Summary as the lesson prints it (${step.form})`}>
            <caption>{step.form === 'sequential' ? 'Sequential' : 'Functional'} summary</caption>
            <tbody>
              {summary.rows.map((r) => (
                <tr key={r.key}>
                  <td><span className="row-name">{r.name}</span> <span className="muted">({r.kerasClass})</span></td>
                  <td><code>{r.outputShape}</code></td>
                  <td className="num">{r.params === null ? '?' : r.params.toLocaleString('en-US')}</td>
                </tr>
              ))}
            </tbody>
            <tfoot><tr><td colSpan={3}>Total params: <b>{summary.total.toLocaleString('en-US')}</b></td></tr></tfoot>
          </table>
        )}
        <div className={`lesson-try ${seen ? 'seen' : ''}`} role="group" aria-label="Try this">
          <h3>Try this</h3>
          <p><Rich text={step.tryThis.text} /></p>
          <p className="lesson-expect"><b>Expect:</b> <Rich text={step.tryThis.expect} /></p>
          <div className="lesson-try-foot">
            {seen ? <span className="lesson-seen" role="status">✓ That is what the model now shows.</span>
              : done.includes(step.id) ? <span className="lesson-seen muted" role="status">✓ Done before.</span>
              : <span className="muted" role="status">Not yet.</span>}
            {here && !seen && (
              <button className="link-button" onClick={doIt}>{step.tryThis.action.type === 'train' ? 'Show the Train tab' : 'Do it for me'}</button>
            )}
            {here && (
              <button className="link-button" onClick={() => onOpenStep(step)} title="Open this step's model again, as the lesson builds it">Reset the model</button>
            )}
          </div>
        </div>
        {step.template && step.template !== 'sentiment' && (
          <p className="lesson-template">
            <button className="link-button" onClick={() => onOpenTemplate(step.template!)}>Train it on a task: open the template</button>
          </p>
        )}
      </div>
      <footer className="lesson-nav">
        <button className="button" onClick={() => go(index - 1)} disabled={index === 0}>← Previous</button>
        <span className="muted">{done.length} of {LESSON_STEPS.length} tried</span>
        <button className="button primary" onClick={() => go(index + 1)} disabled={index === LESSON_STEPS.length - 1}>Next →</button>
      </footer>
    </section>
  );
}
