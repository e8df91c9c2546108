/**
 * The recent-projects list and the lesson progress reach the gallery and the lesson panel through
 * React context (created in src/main.tsx, persisted there; in-memory when App is given none).
 */
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { LessonState, LessonStore } from '../../store/lesson.ts';
import type { RecentState, RecentStore } from '../../store/recent.ts';

export interface Projects {
  readonly recent: RecentStore;
  readonly lesson: LessonStore;
}

export const ProjectsContext = createContext<Projects | null>(null);

export function useProjects(): Projects {
  const p = useContext(ProjectsContext);
  if (!p) throw new Error('useProjects: no <ProjectsContext.Provider> above this component');
  return p;
}

export function useRecent<T>(selector: (s: RecentState) => T): T {
  return useStore(useProjects().recent, selector);
}

export function useLesson<T>(selector: (s: LessonState) => T): T {
  return useStore(useProjects().lesson, selector);
}
