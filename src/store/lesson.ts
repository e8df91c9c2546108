/**
 * Where the learner is on the lesson path: whether the lesson panel is open, the current step and
 * the steps whose "try this" they have done. Kept in injected storage (localStorage in the app), so
 * the path can be left and resumed after a reload. Step ids are the lesson's (src/ui/lesson/steps.ts);
 * unknown ids read back from storage are dropped by the caller's `known` list.
 *
 *   const lesson = createLessonStore({ read: () => localStorage.getItem(LESSON_KEY), write: (t) => localStorage.setItem(LESSON_KEY, t), known });
 */
import { createStore } from 'zustand/vanilla';
import { z } from 'zod/v4';

export const LESSON_KEY = 'unroll:lesson:v1';

const savedSchema = z.object({
  open: z.boolean().default(false),
  step: z.string().nullable().default(null),
  done: z.array(z.string()).default([]),
});

export interface LessonState {
  readonly open: boolean;
  /** The current step's id (null before the first visit). */
  readonly step: string | null;
  /** Steps whose "try this" effect the learner has seen, in the order they did them. */
  readonly done: readonly string[];
  setOpen(open: boolean): void;
  goTo(step: string): void;
  markDone(step: string): void;
  /** Forgets progress (the path starts again). */
  reset(): void;
}

export interface LessonOptions {
  read(): string | null | undefined;
  write(text: string): void;
  /** The lesson's step ids; others are dropped on restore. */
  known: readonly string[];
}

export function createLessonStore(o: LessonOptions) {
  let saved: z.infer<typeof savedSchema> = { open: false, step: null, done: [] };
  try {
    const text = o.read();
    const r = text ? savedSchema.safeParse(JSON.parse(text)) : null;
    if (r?.success) saved = r.data;
  } catch {
    // Unreadable progress: start the path afresh.
  }
  const known = new Set(o.known);
  const store = createStore<LessonState>()((set, get) => ({
    open: saved.open,
    step: saved.step && known.has(saved.step) ? saved.step : null,
    done: [...new Set(saved.done.filter((d) => known.has(d)))],
    setOpen: (open) => set({ open }),
    goTo: (step) => { if (known.has(step)) set({ step, open: true }); },
    markDone: (step) => { if (known.has(step) && !get().done.includes(step)) set({ done: [...get().done, step] }); },
    reset: () => set({ step: null, done: [] }),
  }));
  store.subscribe((s, prev) => {
    if (s.open === prev.open && s.step === prev.step && s.done === prev.done) return;
    try {
      o.write(JSON.stringify({ open: s.open, step: s.step, done: s.done }));
    } catch {
      // Storage refused (private mode, quota): progress lasts for this visit only.
    }
  });
  return store;
}

export type LessonStore = ReturnType<typeof createLessonStore>;
