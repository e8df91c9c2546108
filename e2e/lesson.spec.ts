/**
 * The lesson path walked like a learner at a 1280×720 projector: open the Lesson, open each step's
 * model, check the canvas's summary is the lesson's, do the step's "try this" with the editor's
 * own controls (node toggles, inspector fields, the Train button), and see the stated effect — in
 * the summary, the issue list, the wire, the test result — and the panel's tick. Halfway it
 * reloads the page: the path resumes where it was.
 */
import { expect, test, type Page } from '@playwright/test';
import { inferGraph } from '../src/core/infer.ts';
import { summarize, thousands } from '../src/core/summary.ts';
import { LESSON_STEPS, type LessonAction, type LessonEffect, type LessonStep } from '../src/ui/lesson/steps.ts';
import { Editor } from './editor.ts';

test.use({ viewport: { width: 1280, height: 720 } });

const lessonPanel = (page: Page) => page.getByRole('region', { name: 'Lesson' });
const summaryRow = (page: Page, name: string, cls: string) => page.getByRole('table', { name: 'Model summary' }).getByRole('row', { name: `${name} (${cls})`, exact: true });

/** Does the step's action with the controls a learner would use. */
async function act(page: Page, ed: Editor, a: LessonAction) {
  if (a.type === 'train') {
    await page.getByRole('tab', { name: 'Train' }).click();
    const panel = page.getByRole('region', { name: 'Train', exact: true });
    await panel.getByRole('button', { name: 'Train', exact: true }).click();
    await expect(panel.getByRole('status', { name: 'Run status' })).toHaveText('Done', { timeout: 300_000 });
    return;
  }
  if (a.type !== 'param') throw new Error(`no UI for ${a.type}`);
  const onNode = ed.node(a.node).getByRole('switch', { name: `${a.param} of ${a.node}`, exact: true });
  if (typeof a.value === 'boolean' && (await onNode.count())) {
    await onNode.click();
    await expect(onNode).toBeChecked({ checked: a.value });
    return;
  }
  await ed.select(a.node);
  const field = page.getByRole('complementary', { name: 'Inspector' }).getByLabel(a.param, { exact: true });
  if (typeof a.value === 'boolean') {
    await field.click();
    await expect(field).toBeChecked({ checked: a.value });
  } else if (typeof a.value === 'number') {
    await field.fill(String(a.value));
    await field.press('Enter');
  } else {
    await field.selectOption(a.value === null ? '__none__' : String(a.value));
  }
}

/** The stated effect, where the learner sees it. */
async function seeEffect(page: Page, ed: Editor, step: LessonStep, e: LessonEffect) {
  const quoted = [...step.tryThis.expect.matchAll(/`(\((?:None|\d+)[^`]*\)|\[[^`]*\])`/g)].map((m) => m[1]);
  switch (e.type) {
    case 'rows': {
      await page.getByRole('tab', { name: 'Summary' }).click();
      for (const r of e.rows) {
        const cls = await ed.state<string>(`(s) => { const n = s.graph.nodes.find((x) => x.name === ${JSON.stringify(r.node)}); return s.summary.rows.find((x) => x.nodeId === n.id).kerasClass; }`);
        const row = summaryRow(page, r.node, cls);
        if (r.shape) await expect(row).toContainText(r.shape);
        if (r.params !== undefined) await expect(row).toContainText(thousands(r.params));
      }
      break;
    }
    case 'issue': {
      await expect(ed.node(e.node).getByRole('img', { name: /error/ })).toBeVisible();
      await page.getByRole('tab', { name: /Issues/ }).click();
      const list = page.getByRole('region', { name: 'Model summary and issues' }).getByRole('list', { name: 'Issues' });
      // The shapes the step's text quotes are the ones the issue names.
      for (const shape of quoted) await expect(list).toContainText(shape);
      await page.getByRole('tab', { name: 'Summary' }).click();
      break;
    }
    case 'masked':
      await expect(ed.outputShape(e.node).locator('.mask-icon')).toHaveCount(e.masked ? 1 : 0);
      break;
    case 'trained': {
      const acc = page.getByRole('region', { name: 'Train', exact: true }).getByLabel('Test accuracy', { exact: true });
      await expect(acc).toBeVisible();
      expect(Number.parseFloat((await acc.textContent())!) / 100).toBeGreaterThanOrEqual(e.atLeast);
      await page.getByRole('tab', { name: 'Summary' }).click();
      break;
    }
  }
  await expect(lessonPanel(page).getByRole('group', { name: 'Try this' }).getByRole('status')).toHaveText('✓ That is what the model now shows.');
}

test('walk the lesson path from the first step to the last, doing each step\'s "try this"', async ({ page }) => {
  test.setTimeout(480_000);
  const ed = new Editor(page);
  await ed.open();
  await page.getByRole('button', { name: 'Lesson', exact: true }).click();
  const panel = lessonPanel(page);
  await panel.getByRole('button', { name: /^Open step 1's model$/ }).click();

  for (const [k, step] of LESSON_STEPS.entries()) {
    await test.step(`step ${k + 1}: ${step.title}`, async () => {
      await expect(panel.getByRole('heading', { level: 2 })).toHaveText(`Step ${k + 1} of ${LESSON_STEPS.length}: ${step.title}`);
      await expect.poll(() => ed.state<string>('(s) => s.name')).toBe(`lesson-${k + 1}-${step.id}`);
      // The canvas holds the lesson's model: the dock's summary is the core's (functional) summary.
      const g = step.graph();
      const want = summarize(g, inferGraph(g));
      await expect(page.getByRole('table', { name: 'Model summary' }).locator('tfoot')).toContainText(`Total params: ${thousands(want.total)}`);
      await expect(page.getByRole('table', { name: 'Model summary' }).locator('tbody tr')).toHaveCount(want.rows.length);
      // The lesson's code and, in its form, the summary it prints.
      await expect(panel.getByLabel('Keras code')).toContainText(step.code.split('\n').find((l) => l.trim() && !l.startsWith('#'))!);
      await expect(panel.getByRole('table', { name: new RegExp(`Summary as the lesson prints it \\(${step.form}\\)`) })).toContainText(thousands(want.total));
      await expect(panel.getByRole('group', { name: 'Try this' }).getByRole('status')).toHaveText(/Not yet|Done before/);

      await act(page, ed, step.tryThis.action);
      await seeEffect(page, ed, step, step.tryThis.effect);
      await expect(panel.getByRole('button', { name: `Step ${k + 1}: ${step.title} (done)` })).toBeVisible();

      if (k === 4) {
        // Leave and come back: the path resumes at this step with what was done.
        await page.evaluate(() => window.__unroll!.flush());
        await page.reload();
        await page.waitForSelector('html[data-ready="true"]');
        await expect(panel.getByRole('heading', { level: 2 })).toHaveText(`Step 5 of ${LESSON_STEPS.length}: ${step.title}`);
        await expect(panel).toContainText('5 of 10 tried');
        await expect(panel.getByRole('group', { name: 'Try this' }).getByRole('status')).toHaveText('✓ That is what the model now shows.');
      }
      if (k < LESSON_STEPS.length - 1) await panel.getByRole('button', { name: 'Next →' }).click();
    });
  }
  await expect(panel).toContainText('10 of 10 tried');
});
