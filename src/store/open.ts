/**
 * Opening documents without freezing the page: a project file's text is validated in steps and a
 * large graph's inference is computed chunk by chunk, giving the page back between steps (input,
 * rendering), before the store takes the document in one `load`. Small documents take the same
 * path at no cost (one step).
 *
 *   const r = await parseProjectAsync(text);
 *   if (r.ok) await openProject(store, r.project, { fresh: true });
 */
import { parseJsonOnly } from '../core/json.ts';
import { loadProjectSteps, type ParseResult, type Project } from '../core/project.ts';
import type { EditorStore } from './editorStore.ts';

/** Gives the page back for a moment (a macrotask: pending input and frames run first). */
export const yieldToPage = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

/** Nodes added to the warm inference per step. */
export const OPEN_CHUNK = 2000;

/** `parseProject` in steps (JSON, then chunks of nodes and edges). */
export async function parseProjectAsync(text: string, pause: () => Promise<void> = yieldToPage): Promise<ParseResult> {
  const j = parseJsonOnly(text);
  if (!j.ok) return { ok: false, error: `Not a project file: ${j.error}.` };
  await pause();
  const steps = loadProjectSteps(j.value);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    await pause();
  }
}

/**
 * Loads a project into the store; a graph of more than OPEN_CHUNK nodes is first inferred in
 * growing prefixes (graph order), one step per chunk.
 */
export async function openProject(
  store: EditorStore,
  project: Pick<Project, 'name' | 'graph'> & Partial<Project>,
  opts: { fresh?: boolean; layout?: boolean } = {},
  pause: () => Promise<void> = yieldToPage,
): Promise<void> {
  const { nodes, edges } = project.graph;
  if (nodes.length > OPEN_CHUNK) {
    const ids = new Set<string>();
    for (let i = 0; i + OPEN_CHUNK < nodes.length; i += OPEN_CHUNK) {
      const part = nodes.slice(0, i + OPEN_CHUNK);
      for (let k = i; k < part.length; k++) ids.add(part[k].id);
      store.getState().warmUp({ nodes: part, edges: edges.filter((e) => ids.has(e.source) && ids.has(e.target)) });
      await pause();
    }
  }
  store.getState().load(project, opts);
}
