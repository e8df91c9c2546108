/**
 * The lesson's step ids, in order, without the steps themselves (steps.ts, loaded with the lesson
 * panel): the lesson-progress store checks a saved step against them at start. steps.ts types each
 * step's id with LessonStepId and steps.test.ts checks both lists are the same.
 */
export const LESSON_STEP_IDS = ['simple-rnn', 'initial-state', 'stacked', 'bidirectional', 'lstm', 'return-state', 'decoder', 'gru', 'embedding', 'classifier'] as const;

export type LessonStepId = (typeof LESSON_STEP_IDS)[number];
