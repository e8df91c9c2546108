/**
 * What the gallery shows for a template, from the core and the template file (computed once per
 * template): the graph's SVG picture, its parameter count, its dataset's name, and its expected
 * result in words ("test accuracy ≥ 0.80 after 5 epochs, about 1 min here").
 */
import { toSvg } from '../../core/codegen/svg.ts';
import { inferGraph } from '../../core/infer.ts';
import type { Expected } from '../../core/project.ts';
import { summarize } from '../../core/summary.ts';
import { datasetEntry } from '../../data/catalog.ts';
import type { Template } from '../../../templates/index.ts';

export interface Card {
  readonly template: Template;
  /** `data:` URL of the picture (an <img> never runs anything inside an SVG). */
  readonly picture: string;
  readonly params: number;
  readonly layers: number;
  readonly dataset: string;
  readonly result: string;
  readonly time: string;
}

/** "about 40 s", "about 3 min". */
export function duration(seconds: number): string {
  if (seconds < 90) return `about ${Math.max(5, Math.round(seconds / 5) * 5)} s`;
  return `about ${Math.round(seconds / 60)} min`;
}

const metricName = (e: Expected) => (e.metric === 'accuracy' ? 'accuracy' : 'loss');

/** "test accuracy ≥ 0.80 after 5 epochs". */
export function resultText(e: Expected): string {
  const bound = e.at_least !== undefined ? `≥ ${e.at_least.toFixed(e.metric === 'accuracy' ? 2 : 3)}` : `≤ ${e.at_most!.toFixed(e.metric === 'accuracy' ? 2 : 3)}`;
  return `${e.split === 'test' ? 'test' : 'validation'} ${metricName(e)} ${bound} after ${e.epochs} epoch${e.epochs === 1 ? '' : 's'}`;
}

const cache = new Map<string, Card>();

export function cardOf(t: Template): Card {
  const hit = cache.get(t.id);
  if (hit) return hit;
  const g = t.project.graph;
  const inference = inferGraph(g);
  const summary = summarize(g, inference);
  const e = t.project.expected;
  const card: Card = {
    template: t,
    picture: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(toSvg(g, inference))}`,
    params: summary.total,
    layers: summary.rows.filter((r) => r.kerasClass !== 'InputLayer' && r.kerasClass !== 'NotEqual' && r.kerasClass !== 'Any').length,
    dataset: t.project.dataset ? datasetEntry(t.project.dataset.id)?.name ?? t.project.dataset.id : 'none',
    result: e ? resultText(e) : 'not measured',
    time: e ? duration(e.seconds) : '',
  };
  cache.set(t.id, card);
  return card;
}
