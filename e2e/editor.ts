/**
 * Page object for the editor: finds nodes, handles and panels by their accessible names or test ids,
 * and acts like a person (real mouse drags). `window.__unroll` is used only for set-up and checks.
 */
import { expect, type Locator, type Page } from '@playwright/test';

export class Editor {
  constructor(readonly page: Page) {}

  async open() {
    await this.page.goto('/');
    await this.page.waitForSelector('html[data-ready="true"]');
  }

  /** Lets the autosave write what it has pending (seeding storage before a reload must come after it). */
  async settle() {
    await this.page.evaluate(() => window.__unroll!.flush());
    await this.page.waitForTimeout(400);
  }

  node(name: string): Locator {
    return this.page.locator('.react-flow__node').filter({ has: this.page.locator(`[data-name="${name}"]`) });
  }

  handle(name: string, kind: 'source' | 'target', port: string): Locator {
    return this.node(name).locator(`.react-flow__handle.${kind}[data-handleid="${port}"]`);
  }

  outputShape(name: string, port = 'output'): Locator {
    return this.node(name).locator('.port.out').filter({ has: this.page.locator(`[data-handleid="${port}"]`) }).locator('.shape');
  }

  async center(l: Locator) {
    const b = (await l.boundingBox())!;
    return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
  }

  /** Presses at `from`, moves in steps, releases at `to` (or stays pressed when `release` is false). */
  async drag(from: { x: number; y: number }, to: { x: number; y: number }, release = true) {
    const m = this.page.mouse;
    await m.move(from.x, from.y);
    await m.down();
    await m.move(from.x + 4, from.y + 4, { steps: 2 });
    await m.move(to.x, to.y, { steps: 12 });
    if (release) await m.up();
  }

  /**
   * Drags a wire from an output handle to an input handle. The target is found once the drag has
   * begun: optional inputs (initial states) appear only while a wire is being dragged.
   */
  async wire(from: string, fromPort: string, to: string, toPort: string) {
    const start = await this.center(this.handle(from, 'source', fromPort));
    const m = this.page.mouse;
    await m.move(start.x, start.y);
    await m.down();
    await m.move(start.x + 6, start.y + 6, { steps: 3 });
    const target = this.handle(to, 'target', toPort);
    await target.waitFor();
    const end = await this.center(target);
    await m.move(end.x, end.y, { steps: 12 });
    await m.up();
  }

  /** Drags a palette item onto the canvas at a point (relative to the canvas's top-left). */
  async dropFromPalette(kind: string, at: { x: number; y: number }) {
    const box = (await this.page.locator('.react-flow').boundingBox())!;
    await this.drag(await this.center(this.page.getByRole('button', { name: `Add ${kind}`, exact: true })), { x: box.x + at.x, y: box.y + at.y });
  }

  /** Clicks an empty spot of the canvas (top middle: above the fitted graph, clear of the zoom buttons). */
  async clickPane() {
    const box = (await this.page.locator('.react-flow').boundingBox())!;
    await this.page.mouse.click(box.x + box.width / 2, box.y + 12);
  }

  /** Every node lies inside the canvas. */
  allInView(): Promise<boolean> {
    return this.page.evaluate(() => {
      const pane = document.querySelector('.react-flow')!.getBoundingClientRect();
      return [...document.querySelectorAll('.react-flow__node')].every((n) => {
        const r = n.getBoundingClientRect();
        return r.left >= pane.left && r.right <= pane.right && r.top >= pane.top && r.bottom <= pane.bottom;
      });
    });
  }

  /**
   * Fits the whole graph in view as a person would: Fit view, and once more when the first fit kept
   * the text readable and showed only part of it.
   */
  async fitAll() {
    const fit = this.page.getByRole('button', { name: 'Fit view' });
    for (let k = 0; k < 2; k++) {
      await fit.click();
      await this.page.waitForTimeout(300);
      if (await this.allInView()) return;
    }
    throw new Error('Fit view did not bring every node into view');
  }

  /** Opens a template from the Gallery (Gallery → its card → Open), as a new project. */
  async openTemplate(title: string) {
    const gallery = this.page.getByRole('dialog', { name: 'Gallery' });
    await this.page.getByRole('button', { name: 'Gallery', exact: true }).click();
    await gallery.getByRole('button', { name: `Template: ${title}`, exact: true }).click();
    await gallery.getByRole('button', { name: `Open ${title}`, exact: true }).click();
    await gallery.waitFor({ state: 'detached' });
  }

  /** Clicks a layer's header, first bringing it into view (see `reveal`). */
  async select(name: string) {
    const head = this.node(name).locator('.node-head');
    await this.reveal(head);
    await head.click();
  }

  /** The whole of `l` lies inside the canvas (not under the inspector, not past an edge). */
  inView(l: Locator): Promise<boolean> {
    return l.evaluate((el) => {
      const pane = el.closest('.react-flow')!.getBoundingClientRect();
      const r = el.getBoundingClientRect();
      return r.left >= pane.left && r.right <= pane.right && r.top >= pane.top && r.bottom <= pane.bottom;
    });
  }

  /**
   * Brings part of a node into view as a person would (Fit view) when it lies outside the canvas. A
   * click on a node off the canvas would rely on Playwright scrolling the canvas's wrapper to it,
   * which React Flow undoes on the next scroll event: on a loaded machine the reset comes first and
   * the click lands on whatever was under that point (CI: another node's header, the inspector).
   */
  async reveal(l: Locator) {
    if (!(await this.inView(l))) await this.fitAll();
  }

  state<T>(f: string): Promise<T> {
    return this.page.evaluate(`(() => { const s = window.__unroll.store.getState(); return (${f})(s); })()`) as Promise<T>;
  }

  nodeCount() {
    return this.state<number>('(s) => s.graph.nodes.length');
  }

  edgeCount() {
    return this.state<number>('(s) => s.graph.edges.length');
  }

  /** Sets the document through the test API (set-up only). */
  /** Each spec is wired from the one before unless `link` is false. */
  async loadChain(specs: { kind: string; name?: string; params?: Record<string, unknown>; link?: boolean }[]) {
    await this.page.evaluate(async (specs) => {
      const { store } = window.__unroll!;
      const s = store.getState();
      s.load({ name: 'test', graph: { nodes: [], edges: [] } }, { fresh: true });
      let prev: string | null = null;
      specs.forEach((spec, k) => {
        const id = store.getState().addNode(spec.kind, { x: k * 330, y: 40 });
        if (spec.params) store.getState().setParams(id, spec.params as never);
        if (spec.name) store.getState().rename(id, spec.name);
        if (prev && spec.link !== false) {
          const inf = store.getState().inference;
          store.getState().connect({ source: prev, sourcePort: inf.node(prev)!.outputs[0].name, target: id, targetPort: inf.node(id)!.inputs[0].name });
        }
        prev = id;
      });
      store.getState().select([]);
      store.temporal.getState().clear();
    }, specs);
    await expect(this.page.locator('.react-flow__node')).toHaveCount(specs.length);
    await this.fitAll();
  }
}

/** Writes `value` under `key` in the app's IndexedDB store (idb-keyval's), as the autosave would. */
export async function putInIndexedDb(page: Page, key: string, value: unknown): Promise<void> {
  await page.evaluate(async ([k, v]) => {
    await new Promise<void>((res, rej) => {
      const r = indexedDB.open('keyval-store');
      r.onupgradeneeded = () => r.result.createObjectStore('keyval');
      r.onsuccess = () => {
        const tx = r.result.transaction('keyval', 'readwrite');
        tx.objectStore('keyval').put(v, k as string);
        tx.oncomplete = () => { r.result.close(); res(); };
        tx.onerror = () => rej(tx.error);
      };
      r.onerror = () => rej(r.error);
    });
  }, [key, value] as const);
}

/** Set-up for a short training run: one epoch of 64 airline tweets, batch 16, on `backend`; opens the Train tab. */
export async function shortRun(page: Page, backend: 'wasm' | 'webgl' | 'cpu' = 'wasm'): Promise<void> {
  await page.evaluate((b) => {
    const s = window.__unroll!.store.getState();
    s.setTraining({ backend: b, epochs: 1, batch_size: 16 });
    s.setDataset({ id: 'airline-sentiment', options: { size: 64 } });
  }, backend);
  await page.getByRole('tab', { name: 'Train' }).click();
}
