/**
 * A lesson step as a project to open: its graph, named after the step (the panel knows the step's
 * model is on the canvas by this name), with the template's training settings and dataset when
 * the step trains (the classifier).
 */
import { getTemplate } from '../../../templates/index.ts';
import type { Project } from '../../core/project.ts';
import type { Graph } from '../../core/types.ts';
import { LESSON_STEPS, type LessonStep } from './steps.ts';

export function stepProjectName(step: LessonStep): string {
  return `lesson-${LESSON_STEPS.indexOf(step) + 1}-${step.id}`;
}

export function stepProject(step: LessonStep): { name: string; graph: Graph } & Partial<Pick<Project, 'training' | 'dataset'>> {
  const t = step.dataset && step.template ? getTemplate(step.template) : undefined;
  return {
    name: stepProjectName(step),
    graph: step.graph(),
    ...(t ? { training: t.project.training, dataset: t.project.dataset } : { dataset: null }),
  };
}
