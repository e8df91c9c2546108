/**
 * The injectable loader through which built-in corpora are read. In the browser (or a worker)
 * use fetchLoader('/datasets/'); in Node tests, pass a loader that reads files with fs. Paths are
 * file names relative to the datasets folder, e.g. 'first-names.json'.
 */

export interface CorpusLoader {
  loadText(path: string): Promise<string>;
  loadJson(path: string): Promise<unknown>;
}

/** A loader that fetches files below a base URL (default '/datasets/'). */
export function fetchLoader(baseUrl = '/datasets/', fetchFn: typeof fetch = fetch): CorpusLoader {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  const get = async (path: string): Promise<Response> => {
    const res = await fetchFn(`${base}${path}`);
    if (!res.ok) throw new Error(`Could not load the built-in dataset file ${path}: HTTP ${res.status} ${res.statusText}`.trim());
    return res;
  };
  return {
    loadText: async (path) => (await get(path)).text(),
    loadJson: async (path) => (await get(path)).json() as Promise<unknown>,
  };
}

/** A loader over in-memory files (tests, or data already in hand). */
export function memoryLoader(files: Readonly<Record<string, string>>): CorpusLoader {
  const text = async (path: string): Promise<string> => {
    const content = files[path];
    if (content === undefined) throw new Error(`No file ${path} in the in-memory loader.`);
    return content;
  };
  return { loadText: text, loadJson: async (path) => JSON.parse(await text(path)) as unknown };
}
