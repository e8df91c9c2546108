/**
 * Where things go in the unrolled picture: pure geometry from core's `UnrolledView` (which already
 * decided what the picture says: reading order, emitted outputs, padding, h₀, state outputs). One
 * column per input position, left to right; one row of cells per chain (forward on top of
 * backward); the shared weights drawn once per chain, with a bus line every cell of the chain
 * taps; tokens under the columns. Tested in unrolledLayout.test.ts; drawn by UnrolledView.tsx.
 */
import type { UnrolledView } from '../../core/unrolled.ts';

export const DX = 74;
export const CELL_W = 48;
export const CELL_H = 42;
const LEFT = 176;
const RIGHT = 150;
const TOP = 28;
const ROW = 118;

export interface CellBox {
  readonly key: string;
  readonly chain: number;
  readonly t: number;
  /** Reading step (0 = first read). */
  readonly k: number;
  readonly x: number;
  readonly y: number;
  readonly padding: boolean;
  /** Masked: the cell is skipped and the state carried over. */
  readonly skipped: boolean;
  readonly emits: boolean;
  readonly last: boolean;
}

export interface Wire {
  readonly key: string;
  readonly d: string;
  /** state (h/c along the chain), carry (over a skipped step), input, output (leaves the layer), internal (computed, not returned), weight (bus tap), final (return_state), merge */
  readonly kind: 'state' | 'carry' | 'input' | 'output' | 'internal' | 'weight' | 'final' | 'merge';
  readonly label?: string;
}

export interface Label {
  readonly key: string;
  readonly x: number;
  readonly y: number;
  readonly text: string;
  readonly kind: 'token' | 'h0' | 'state' | 'weights' | 'chain' | 'merge' | 'step' | 'out';
  readonly anchor?: 'start' | 'middle' | 'end';
  readonly title?: string;
}

export interface Box {
  readonly key: string;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  readonly kind: 'weights' | 'merge' | 'h0' | 'pad';
  readonly text?: string;
}

export interface Layout {
  readonly width: number;
  readonly height: number;
  readonly cells: readonly CellBox[];
  readonly wires: readonly Wire[];
  readonly labels: readonly Label[];
  readonly boxes: readonly Box[];
}

const cx = (t: number) => LEFT + t * DX + DX / 2;
const short = (s: string, n = 8) => ([...s].length > n ? `${[...s].slice(0, n - 1).join('')}…` : s);

export function layoutUnrolled(v: UnrolledView): Layout {
  const n = v.chains.length;
  const merged = n === 2 && v.merge !== null;
  const mergeY = TOP + 36;
  const firstRow = TOP + (merged ? 150 : 96);
  const rowY = (r: number) => firstRow + r * ROW;
  const tokenY = rowY(n - 1) + CELL_H + 44;
  const width = LEFT + v.T * DX + RIGHT;
  const height = tokenY + 30;
  const cells: CellBox[] = [];
  const wires: Wire[] = [];
  const labels: Label[] = [];
  const boxes: Box[] = [];
  const outTop = TOP + 8;

  // Padding columns, shaded across every row.
  v.steps.forEach((s, t) => {
    if (s.padding) boxes.push({ key: `pad${t}`, x: cx(t) - DX / 2 + 2, y: firstRow - 30, w: DX - 4, h: tokenY - firstRow + 42, kind: 'pad' });
  });

  v.chains.forEach((chain, r) => {
    const y = rowY(r);
    const mid = y + CELL_H / 2;
    const dir = chain.cell.goBackwards ? -1 : 1;
    const stepOf = new Map(chain.order.map((t, k) => [t, k]));
    const emits = new Set(chain.emits);
    const lstm = chain.cell.states.length === 2;
    for (let t = 0; t < v.T; t++) {
      const padding = v.steps[t].padding;
      cells.push({
        key: `c${r}-${t}`, chain: r, t, k: stepOf.get(t)!, x: cx(t) - CELL_W / 2, y, padding,
        skipped: padding && v.padding === 'skipped', emits: emits.has(t), last: chain.last === t,
      });
    }
    // Chain label and shared weights, drawn once, with a bus every cell taps.
    const name = n === 2 ? `${chain.cell.direction} ${chain.cell.kind}` : chain.cell.kind;
    labels.push({ key: `chain${r}`, x: 12, y: y - 52, text: name, kind: 'chain', anchor: 'start' });
    const wText = chain.cell.weights.map((w) => `${w.symbol} ${w.shape.join('×')}`).join('  ');
    boxes.push({ key: `w${r}`, x: 12, y: y - 44, w: LEFT - 40, h: 22, kind: 'weights', text: wText });
    const busY = y - 20;
    wires.push({ key: `bus${r}`, d: `M ${LEFT - 28} ${busY} H ${cx(v.T - 1) + CELL_W / 2}`, kind: 'weight' });
    for (let t = 0; t < v.T; t++) wires.push({ key: `tap${r}-${t}`, d: `M ${cx(t) + 14} ${busY} V ${y}`, kind: 'weight' });
    labels.push({ key: `wl${r}`, x: 12, y: y - 8, text: `shared by all ${v.T} steps`, kind: 'weights', anchor: 'start', title: `${chain.cell.params.toLocaleString('en-US')} parameters, the same at every step` });

    // h₀ at the start of the chain.
    const startX = dir === 1 ? cx(0) - DX / 2 - 22 : cx(v.T - 1) + DX / 2 + 22;
    const h0Text = chain.h0.kind === 'zeros' ? (lstm ? 'h₀, c₀ = 0' : 'h₀ = 0') : chain.h0.ports.map((p) => `${p.state}₀ ← ${p.from}`).join(', ');
    labels.push({ key: `h0${r}`, x: startX + (dir === 1 ? -8 : 8), y: mid + 4, text: h0Text, kind: 'h0', anchor: dir === 1 ? 'end' : 'start', title: chain.h0.kind === 'zeros' ? 'No initial_state is wired: the state starts at zeros.' : 'The initial state comes from the wired initial_state inputs.' });
    const edge = (t: number, side: 1 | -1) => cx(t) + side * CELL_W / 2;
    // State arrows in reading order; a skipped (masked) cell is bypassed by a carry line.
    const lines = lstm ? [{ s: 'h', dy: -7 }, { s: 'c', dy: 9 }] : [{ s: 'h', dy: 0 }];
    let from = startX;
    for (let k = 0; k < chain.order.length; k++) {
      const t = chain.order[k];
      const cell = cells[cells.length - v.T + t];
      const into = edge(t, dir === 1 ? -1 : 1);
      for (const { s, dy } of lines) {
        wires.push({ key: `s${r}-${k}-${s}`, d: `M ${from} ${mid + dy} H ${into}`, kind: 'state', ...(k === 0 ? { label: s } : {}) });
        if (cell.skipped) wires.push({ key: `k${r}-${k}-${s}`, d: `M ${into} ${mid + dy} H ${edge(t, dir === 1 ? 1 : -1)}`, kind: 'carry' });
      }
      from = edge(t, dir === 1 ? 1 : -1);
    }
    // Final states (return_state) leave at the chain's end.
    const endX = dir === 1 ? cx(v.T - 1) + DX / 2 + 36 : cx(0) - DX / 2 - 36;
    if (chain.stateOutputs.length) {
      chain.stateOutputs.forEach((so, j) => {
        const dy = lines[j]?.dy ?? 0;
        wires.push({ key: `f${r}-${so.port}`, d: `M ${from} ${mid + dy} H ${endX}`, kind: 'final' });
        labels.push({ key: `fl${r}-${so.port}`, x: endX + (dir === 1 ? 4 : -4), y: mid + dy + 4, text: `${so.state} → ${so.port}`, kind: 'state', anchor: dir === 1 ? 'start' : 'end' });
      });
    }
    // Inputs from the tokens, and outputs upwards.
    for (let t = 0; t < v.T; t++) {
      const x = cx(t);
      if (r === n - 1) wires.push({ key: `i${r}-${t}`, d: `M ${x - 8} ${tokenY - 16} V ${y + CELL_H}`, kind: 'input' });
      else wires.push({ key: `i${r}-${t}`, d: `M ${x - CELL_W / 2 - 8} ${tokenY - 16} V ${y + CELL_H - 6} H ${x - CELL_W / 2}`, kind: 'input' });
      const out = emits.has(t);
      const kind = out ? 'output' : 'internal';
      if (merged) {
        // Into the merge row: straight up (top chain) or up the column's right gap (bottom chain).
        if (v.returnSequences) {
          const d = r === 0 ? `M ${x - 6} ${y} V ${mergeY + 20}` : `M ${x + CELL_W / 2} ${y + 8} H ${x + CELL_W / 2 + 8} V ${mergeY + 20}`;
          wires.push({ key: `o${r}-${t}`, d, kind });
        } else if (out) {
          const mX = cx(v.T - 1) + DX / 2 + 70;
          const d = r === 0 ? `M ${x} ${y} V ${mergeY + 10} H ${mX - 30}` : `M ${x + CELL_W / 2} ${y + 8} H ${x + CELL_W / 2 + 8} V ${mergeY + 18} H ${mX - 30}`;
          wires.push({ key: `o${r}-${t}`, d, kind });
        } else {
          wires.push({ key: `o${r}-${t}`, d: `M ${x} ${y} v -10`, kind: 'internal' });
        }
      } else {
        wires.push({ key: `o${r}-${t}`, d: `M ${x} ${y} V ${out ? outTop + 14 : y - 10}`, kind });
        if (out) labels.push({ key: `ol${r}-${t}`, x, y: outTop + 8, text: v.returnSequences ? `y${sub(v.reversedOutput ? chain.order.indexOf(t) : t)}` : 'output', kind: 'out' });
      }
    }
  });

  if (merged) {
    const mode = String(v.merge);
    if (v.returnSequences) {
      for (let t = 0; t < v.T; t++) {
        boxes.push({ key: `m${t}`, x: cx(t) - 24, y: mergeY, w: 48, h: 20, kind: 'merge', text: mode });
        wires.push({ key: `mo${t}`, d: `M ${cx(t)} ${mergeY} V ${outTop + 14}`, kind: 'merge' });
        labels.push({ key: `ml${t}`, x: cx(t), y: outTop + 8, text: `y${sub(t)}`, kind: 'out' });
      }
    } else {
      const mX = cx(v.T - 1) + DX / 2 + 70;
      boxes.push({ key: 'm', x: mX - 30, y: mergeY, w: 60, h: 24, kind: 'merge', text: mode });
      wires.push({ key: 'mo', d: `M ${mX} ${mergeY} V ${outTop + 14}`, kind: 'merge' });
      labels.push({ key: 'ml', x: mX, y: outTop + 8, text: 'output', kind: 'out' });
    }
  }

  v.steps.forEach((s, t) => {
    labels.push({ key: `tok${t}`, x: cx(t), y: tokenY, text: s.padding ? 'pad' : short(s.token), kind: 'token', title: s.padding ? 'padding' : s.token });
    labels.push({ key: `t${t}`, x: cx(t), y: tokenY + 16, text: `t=${t + 1}`, kind: 'step' });
  });
  return { width, height, cells, wires, labels, boxes };
}

function sub(n: number): string {
  return String(n + 1).replace(/\d/g, (d) => '₀₁₂₃₄₅₆₇₈₉'[Number(d)]);
}
