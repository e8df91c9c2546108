/**
 * Writes the compact built-in corpora into public/datasets/ from the @stdlib packages in
 * node_modules. Run from the repository root: npx tsx src/data/scripts/extract-corpora.ts
 * Output is deterministic (seeded sampling), so re-running gives identical files.
 */
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CMUDICT_FILE, extractCmudict, wordFrequencies } from '../corpora/cmudict.ts';
import { extractNames, NAMES_FILE } from '../corpora/firstNames.ts';
import { extractMobyDick, MOBY_FILE } from '../corpora/mobyDick.ts';
import { extractSpamAssassin, SPAM_FILE } from '../corpora/spamAssassin.ts';
import { readCmudict, readMobyChapters, readNameLists, readSpamMessages } from '../corpora/stdlibFiles.ts';

const OUT = join(process.cwd(), 'public', 'datasets');
mkdirSync(OUT, { recursive: true });

function write(name: string, content: string): void {
  const path = join(OUT, name);
  writeFileSync(path, content);
  console.log(`${name}: ${(statSync(path).size / 1024).toFixed(1)} KB`);
}

const chapters = readMobyChapters();
const allMoby = chapters.map((c) => c.text).join('\n');
write(MOBY_FILE, extractMobyDick(chapters, 400_000));

const names = readNameLists();
write(NAMES_FILE, JSON.stringify(extractNames(names.female, names.male)));

write(CMUDICT_FILE, JSON.stringify(extractCmudict(readCmudict(), wordFrequencies(allMoby), 10_000)));

write(SPAM_FILE, JSON.stringify(extractSpamAssassin(readSpamMessages(), { perClass: 1500, bodyChars: 300, seed: 1 })));
