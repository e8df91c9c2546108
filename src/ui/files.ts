/**
 * Files in and out: open a project file (picker or drop), save one (download). A file that is not a
 * project leaves the current graph untouched and the learner gets a message naming what is wrong.
 */
import type { EditorStore } from '../store/index.ts';
import { fileNameFor, openProject, parseProjectAsync, serializeDoc } from '../store/index.ts';

const MAX_BYTES = 20 * 1024 * 1024;

export function download(name: string, content: string | Blob, type = 'application/json') {
  const blob = typeof content === 'string' ? new Blob([content], { type }) : content;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function saveProject(store: EditorStore) {
  const s = store.getState();
  download(fileNameFor(s.name), serializeDoc(s));
  s.notify('success', `Saved ${fileNameFor(s.name)}`);
}

/** Reads a file and opens it as the document (undoable), or explains why it cannot. */
export async function openProjectFile(store: EditorStore, file: File): Promise<boolean> {
  const notify = store.getState().notify;
  if (file.size > MAX_BYTES) {
    notify('error', `${file.name} is ${(file.size / 1e6).toFixed(0)} MB: too large for a project file.`);
    return false;
  }
  let text: string;
  try {
    text = await file.text();
  } catch {
    notify('error', `${file.name} could not be read.`);
    return false;
  }
  const r = await parseProjectAsync(text);
  if (!r.ok) {
    notify('error', `${file.name} was not opened. ${r.error}`);
    return false;
  }
  await openProject(store, r.project);
  notify('success', `Opened ${file.name}`);
  return true;
}

/** Shows the system file picker; resolves with the chosen file or null. */
export async function pickFile(accept = '.json,.unroll.json,application/json'): Promise<File | null> {
  return (await pickFiles(accept, false))[0] ?? null;
}

/** Shows the system file picker for one or several files (a model.json with its .bin shards). */
export function pickFiles(accept: string, multiple = true): Promise<File[]> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = accept;
    input.multiple = multiple;
    input.setAttribute('aria-label', 'Choose a file');
    input.style.display = 'none';
    input.addEventListener('change', () => { resolve([...(input.files ?? [])]); input.remove(); });
    input.addEventListener('cancel', () => { resolve([]); input.remove(); });
    document.body.appendChild(input);
    input.click();
  });
}
