/**
 * The project a first visit opens: the sentiment template's file, loaded and validated alone, so
 * the editor's start does not load every template (templates/index.ts lists them all, with their
 * gallery texts, and uses this one). `loadTemplate` validates a template file like any file a user
 * opens.
 */
import { loadProject, type Project } from '../src/core/project.ts';
import sentiment from './sentiment.json' with { type: 'json' };

export function loadTemplate(doc: unknown, id: string): Project {
  const r = loadProject(doc);
  if (!r.ok) throw new Error(`template ${id}: ${r.error}`);
  return r.project;
}

/** The sentiment template's project (TEMPLATES' first entry). */
export const DEFAULT_PROJECT: Project = loadTemplate(sentiment, 'sentiment');
