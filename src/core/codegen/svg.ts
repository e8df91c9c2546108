/**
 * A self-contained SVG picture of a graph at its node positions: rounded boxes with the layer's
 * name, Keras class, output shape and parameter count; wires as curves labelled with the shape they
 * carry, dashed when a mask travels with the tensor. No external fonts or styles, so the editor can
 * draw it onto a canvas and save a PNG.
 *
 *   const svg = toSvg(graph);   // '<svg xmlns="http://www.w3.org/2000/svg" …>…</svg>'
 */
import { getLayer } from '../registry.ts';
import { inferGraph, type GraphInference } from '../infer.ts';
import { formatShape, formatShapes } from '../shape.ts';
import { thousands } from '../summary.ts';
import type { Graph, GraphNode } from '../types.ts';
import { xmlText } from './literals.ts';
import { maxOf, minOf } from '../walk.ts';

export const BOX_W = 200;
export const BOX_H = 86;
const PAD = 40;

/** Escapes text for XML content and attribute values (characters XML cannot hold become U+FFFD). */
export const xml = xmlText;

function nodeBox(n: GraphNode, inf: GraphInference, ox: number, oy: number): string {
  const def = getLayer(n.kind);
  const r = inf.node(n.id);
  const x = n.position.x + ox, y = n.position.y + oy;
  const shapes = r?.outputTensors ?? [];
  const marker = def?.isLayer === false; // the Output marker shows its loss instead
  const shape = marker ? '' : shapes.length && shapes.every((t) => t) ? formatShapes(shapes.map((t) => t!.shape)) : '?';
  const params = marker ? String(n.params.loss ?? '') : r?.params ? `${thousands(r.params.trainable + r.params.nonTrainable)} params` : '';
  const hasError = r?.issues.some((i) => i.severity === 'error');
  const fill = marker ? '#fff7e6' : def?.category === 'Inputs' ? '#e8f4ff' : '#ffffff';
  const stroke = hasError ? '#d33' : '#556';
  const cx = x + BOX_W / 2;
  // A wrapper names what it wraps: Bidirectional(LSTM), TimeDistributed(Dense).
  const wrapped = def?.params.filter((p) => p.type === 'layer').map((p) => {
    const inner = n.params[p.name] as { kind?: string; params?: Record<string, unknown> } | undefined;
    const innerDef = inner?.kind ? getLayer(inner.kind) : undefined;
    const units = innerDef?.keyParams?.map((k) => inner?.params?.[k] ?? innerDef.params.find((s) => s.name === k)?.default).filter((v) => typeof v === 'number');
    return innerDef ? `${innerDef.kerasClass}${units?.length ? `(${units.join(', ')})` : ''}` : '';
  }).filter(Boolean) ?? [];
  const cls = `${def?.kerasClass ?? n.kind}${wrapped.length ? `(${wrapped.join(', ')})` : ''}`;
  return [
    `<g class="node" data-id="${xml(n.id)}">`,
    `<rect x="${x}" y="${y}" width="${BOX_W}" height="${BOX_H}" rx="10" ry="10" fill="${fill}" stroke="${stroke}" stroke-width="1.5"/>`,
    `<text x="${cx}" y="${y + 22}" text-anchor="middle" font-weight="bold" font-size="14">${xml(n.name)}</text>`,
    `<text x="${cx}" y="${y + 40}" text-anchor="middle" font-size="12" fill="#557">${xml(cls)}</text>`,
    `<text x="${cx}" y="${y + 58}" text-anchor="middle" font-size="12" font-family="monospace">${xml(shape)}</text>`,
    `<text x="${cx}" y="${y + 75}" text-anchor="middle" font-size="11" fill="#666">${xml(params)}</text>`,
    '</g>',
  ].join('');
}

/** The SVG document of a graph. */
export function toSvg(graph: Graph, inference: GraphInference = inferGraph(graph)): string {
  const xs = graph.nodes.map((n) => n.position.x), ys = graph.nodes.map((n) => n.position.y);
  const minX = xs.length ? minOf(xs) : 0, minY = ys.length ? minOf(ys) : 0;
  const ox = PAD - minX, oy = PAD - minY;
  const width = (xs.length ? maxOf(xs) - minX : 0) + BOX_W + 2 * PAD;
  const height = (ys.length ? maxOf(ys) - minY : 0) + BOX_H + 2 * PAD;
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const edges = graph.edges.flatMap((e) => {
    const s = byId.get(e.source), t = byId.get(e.target);
    if (!s || !t) return [];
    const outs = inference.node(s.id)?.outputs ?? [];
    const ins = inference.node(t.id)?.inputs ?? [];
    const k = Math.max(0, outs.findIndex((p) => p.name === e.sourcePort));
    const j = Math.max(0, ins.findIndex((p) => p.name === e.targetPort));
    const x1 = s.position.x + ox + BOX_W, y1 = s.position.y + oy + (BOX_H * (k + 1)) / (outs.length + 1);
    const x2 = t.position.x + ox, y2 = t.position.y + oy + (BOX_H * (j + 1)) / (ins.length + 1);
    const dx = Math.max(40, Math.abs(x2 - x1) / 2);
    const tensor = inference.edgeTensor(e);
    const label = tensor ? formatShape(tensor.shape) : '?';
    const dash = tensor?.masked ? ' stroke-dasharray="6 4"' : '';
    return [
      `<g class="edge" data-id="${xml(e.id)}">`,
      `<path d="M ${x1} ${y1} C ${x1 + dx} ${y1}, ${x2 - dx} ${y2}, ${x2} ${y2}" fill="none" stroke="#889" stroke-width="1.5"${dash} marker-end="url(#arrow)"/>`,
      `<text x="${(x1 + x2) / 2}" y="${(y1 + y2) / 2 - 6}" text-anchor="middle" font-size="11" font-family="monospace" fill="#335">${xml(label)}</text>`,
      '</g>',
    ].join('');
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#889"/></marker></defs>',
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#fafafa"/>`,
    ...edges,
    ...graph.nodes.map((n) => nodeBox(n, inference, ox, oy)),
    '</svg>',
  ].join('\n') + '\n';
}
