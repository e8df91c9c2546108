#!/usr/bin/env node
// Runs every suite (type check, unit tests, end-to-end tests) and ends with the plain total over
// all of them, alone on its line: `N passed, N failed`. Exits non-zero when anything failed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const out = 'test-results';
mkdirSync(out, { recursive: true });
let passed = 0;
let failed = 0;
const lines = [];

function run(cmd, args, env = {}) {
  console.log(`\n$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
}

// 1. Type check: one test.
const tsc = run('npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']);
if (tsc === 0) passed++; else failed++;
lines.push(`typecheck: ${tsc === 0 ? 'passed' : 'failed'}`);

// 2. Unit tests (vitest), counted from its JSON report.
const vjson = `${out}/vitest.json`;
rmSync(vjson, { force: true });
const vs = run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vjson}`]);
if (existsSync(vjson)) {
  const r = JSON.parse(readFileSync(vjson, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests + (r.numTotalTestSuites > 0 && r.testResults.some((t) => t.status === 'failed' && !t.assertionResults.length) ? 1 : 0);
  lines.push(`unit: ${r.numPassedTests} passed, ${r.numFailedTests} failed`);
} else {
  failed++;
  lines.push(`unit: no report (exit ${vs})`);
}

// 3. End-to-end tests (Playwright), counted from its JSON report.
const pjson = `${out}/playwright.json`;
rmSync(pjson, { force: true });
const ps = run('npx', ['playwright', 'test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: pjson });
if (existsSync(pjson)) {
  const r = JSON.parse(readFileSync(pjson, 'utf8'));
  const s = r.stats ?? {};
  const ok = (s.expected ?? 0) + (s.flaky ?? 0);
  const bad = (s.unexpected ?? 0) + (r.errors?.length ?? 0);
  passed += ok;
  failed += bad;
  lines.push(`e2e: ${ok} passed, ${bad} failed${s.skipped ? `, ${s.skipped} skipped` : ''}`);
} else {
  failed++;
  lines.push(`e2e: no report (exit ${ps})`);
}

console.log('\n' + lines.join('\n'));
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && tsc === 0 && vs === 0 && ps === 0 ? 0 : 1);
