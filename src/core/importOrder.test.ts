/**
 * Modules load in any order (real ES modules, not vitest's transform, which hides cycles): a
 * program whose first import is a layer file or the training engine must not stop with
 * "Cannot access 'Output' before initialization" (issues.ts once imported the registry, closing
 * layer → issues → registry → layer). Each entry is imported first in a fresh Node process (tsx).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ENTRIES = ['src/tf/train/engine.ts', 'src/core/layers/output.ts', 'src/core/layers/lstm.ts'];

describe('import order', () => {
  it.each(ENTRIES)('%s can be the first module a program imports', (entry) => {
    const dir = mkdtempSync(join(tmpdir(), 'unroll-import-'));
    try {
      const file = join(dir, 'first.mts');
      writeFileSync(file, `await import(${JSON.stringify(resolve(entry))});\nconsole.log('loaded');\n`);
      const r = spawnSync('npx', ['tsx', file], { encoding: 'utf8', timeout: 120_000 });
      expect(r.stderr.match(/\w*Error: .*/)?.[0] ?? '', entry).toBe('');
      expect(r.stdout.trim(), entry).toBe('loaded');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 150_000);
});
