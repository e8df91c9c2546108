/**
 * The React Flow canvas, controlled by the store: nodes and edges come from the document (see
 * flow.ts), changes go back as store actions. A node drag moves the nodes in this component's state
 * and commits once at the end (one undo step). Dropping a palette item adds that layer; dropping a file opens it.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import {
  Background, BackgroundVariant, ControlButton, Controls, MiniMap, ReactFlow, useNodesInitialized, useReactFlow, useStore as useFlowStore,
  type Connection as FlowConnection, type EdgeChange, type Edge as RFEdge, type FinalConnectionState, type NodeChange, type ReactFlowState,
} from '@xyflow/react';
import type { XY } from '../../core/types.ts';
import {
  layoutGraph, quickLayout, selectGraph, selectNeedsLayout, selectSelected, selectSelectedEdges, selectSizes, selectViews, type Size,
} from '../../store/index.ts';
import { useEditor, useEditorStore } from '../context.ts';
import { CompactContext, compactSelector } from './compact.ts';
import { ConnectingContext, connectingSelector } from './ports.ts';
import { ConnectionLine } from './ConnectionLine.tsx';
import { estimateBox } from './estimate.ts';
import { Overview, wantsOverview } from './Overview.tsx';
import { createFlowMapper, type LayerFlowNode, type ShapeFlowEdge } from './flow.ts';
import { LayerNode } from './LayerNode.tsx';
import { ShapeEdge } from './ShapeEdge.tsx';
import { canvasPointer, canvasView, minimapShown, TEXT_SCALES, useCanvasFit, useCanvasView } from './view.ts';

/** MIME type of a palette item being dragged. */
export const KIND_MIME = 'application/x-unroll-kind';

const nodeTypes = { layer: LayerNode };
const LARGE = 150;
const edgeTypes = { shape: ShapeEdge };
/** A large graph opens showing its first nodes and their neighbourhood (at most this many). */
const FIRST_VIEW = 40;

/** The first node and the nodes near it (within about one screen), for the opening view of a large graph. */
function firstView(nodes: readonly { id: string; position: XY }[]): { id: string }[] {
  const p = nodes[0]?.position;
  if (!p) return [];
  const out: { id: string }[] = [];
  for (const n of nodes) {
    if (Math.abs(n.position.x - p.x) < 1200 && Math.abs(n.position.y - p.y) < 700) out.push({ id: n.id });
    if (out.length >= FIRST_VIEW) break;
  }
  return out;
}
const defaultEdgeOptions = { type: 'shape' };
const miniMapColor = (n: LayerFlowNode) => n.data.color;

/** Whether any two nodes' boxes overlap (positions from the document, sizes as measured). */
function overlapping(nodes: readonly { id: string; position: XY }[], sizes: Readonly<Record<string, Size>>): boolean {
  const boxes = nodes.filter((n) => sizes[n.id]).map((n) => ({ ...n.position, w: sizes[n.id].width, h: sizes[n.id].height }));
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i], b = boxes[j];
      if (a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h) return true;
    }
  }
  return false;
}

function toConnection(c: FlowConnection | RFEdge) {
  return { source: c.source, sourcePort: c.sourceHandle ?? '', target: c.target, targetPort: c.targetHandle ?? '' };
}

export interface CanvasProps {
  readonly selectMode: boolean;
  /** Files dropped on the canvas (a project, or a model with its weight files). */
  readonly onFiles: (files: File[]) => void;
  /** The user clicked a node (opens the inspector). */
  readonly onInspect?: () => void;
}

const flowSize = (s: { width: number; height: number }) => `${s.width}x${s.height}`;

/**
 * How many nodes lie wholly beyond each side of the view, as a short key ("2,0": right, left), so
 * the hint re-renders only when the counts change. Small graphs only (it runs on every view change).
 */
const offscreenSelector = (s: ReactFlowState): string => {
  if (s.nodeLookup.size > LARGE || !s.width) return '0,0';
  const [tx, , zoom] = s.transform;
  let right = 0, left = 0;
  for (const n of s.nodeLookup.values()) {
    const x = n.internals.positionAbsolute.x * zoom + tx, w = (n.measured.width ?? 0) * zoom;
    if (x >= s.width) right++;
    else if (x + w <= 0) left++;
  }
  return `${right},${left}`;
};

/** "3 more layers →" at the edge when a readable fit (or a pan) leaves layers out of view; click: the whole graph. */
function OffscreenHint({ onShowAll }: { onShowAll: () => void }) {
  const [right, left] = useFlowStore(offscreenSelector).split(',').map(Number);
  return (
    <>
      {right > 0 && (
        <button type="button" className="offscreen-hint right" onClick={onShowAll} title="Fit the whole model in view (F, twice)">
          {right} more layer{right > 1 ? 's' : ''} →
        </button>
      )}
      {left > 0 && (
        <button type="button" className="offscreen-hint left" onClick={onShowAll} title="Fit the whole model in view (F, twice)">
          ← {left} more layer{left > 1 ? 's' : ''}
        </button>
      )}
    </>
  );
}

export function Canvas({ selectMode, onFiles, onInspect }: CanvasProps) {
  const store = useEditorStore();
  const rf = useReactFlow<LayerFlowNode, ShapeFlowEdge>();
  const mapper = useMemo(createFlowMapper, []);
  const graph = useEditor(selectGraph);
  const selected = useEditor(selectSelected);
  const selectedEdges = useEditor(selectSelectedEdges);
  // A node drag moves the nodes here, not in the store: a store update every frame would run every
  // subscribed selector (hundreds of nodes and wires) for a change only the canvas shows. The store
  // gets the whole drag once, at its end (one undo step).
  const [drag, setDrag] = useState<ReadonlyMap<string, XY> | null>(null);
  const dragRef = useRef(drag);
  const commitDrag = useCallback(() => {
    const d = dragRef.current;
    if (!d) return;
    dragRef.current = null;
    setDrag(null);
    store.getState().dragMove(d);
    store.getState().dragEnd();
  }, [store]);
  const sizes = useEditor(selectSizes);
  const views = useEditor(selectViews);
  const compact = useFlowStore(compactSelector);
  const connecting = useFlowStore(connectingSelector);
  // Big graphs (benchmark: 300 nodes) drop the minimap and shadows and render only what is in view;
  // nodes not measured yet get estimated boxes, so none has to be mounted just to be measured.
  const large = graph.nodes.length > LARGE;
  // Zoomed out over a large graph (hundreds of nodes in view), one canvas draws them all instead.
  const overviewShown = useRef(false);
  const overviewSelector = useMemo(() => {
    // React Flow's store changes often (every measurement); the count only when the view moved.
    let last: { t: readonly number[]; w: number; h: number; v: boolean } | null = null;
    return (s: Parameters<typeof compactSelector>[0]) => {
      if (!large) return false;
      if (last && last.t === s.transform && last.w === s.width && last.h === s.height) return last.v;
      last = { t: s.transform, w: s.width, h: s.height, v: wantsOverview(graph, sizes, s, overviewShown.current) };
      return last.v;
    };
  }, [large, graph, sizes]);
  const overview = useFlowStore(overviewSelector);
  overviewShown.current = overview;
  const nodes = useMemo(() => mapper.nodes(graph, selected, drag, sizes, large ? views : undefined, overview), [mapper, graph, selected, drag, sizes, large, views, overview]);
  // A large graph opens on its first nodes (a readable view of where it starts).
  const firstNodes = useMemo(() => (large ? firstView(graph.nodes) : undefined), [large, graph.nodes]);
  // Measured sizes reach the store once per frame, not once per node (React Flow reports nodes
  // one by one as they mount; a store update per node made opening quadratic).
  const pendingSizes = useRef<Record<string, Size> | null>(null);
  const flushSizes = useCallback(() => {
    const m = pendingSizes.current;
    pendingSizes.current = null;
    if (m) store.getState().setSizes(m);
  }, [store]);
  const edges = useMemo(() => mapper.edges(graph, selectedEdges), [mapper, graph, selectedEdges]);

  const onNodesChange = useCallback((changes: NodeChange<LayerFlowNode>[]) => {
    const s = store.getState();
    let sel: Set<string> | null = null;
    const moved = new Map<string, XY>();
    const measured: Record<string, Size> = {};
    let anySize = false;
    let ended = false;
    for (const c of changes) {
      if (c.type === 'select') {
        sel ??= new Set(s.selected);
        if (c.selected) sel.add(c.id);
        else sel.delete(c.id);
      } else if (c.type === 'position' && c.position && c.dragging) {
        moved.set(c.id, c.position);
      } else if (c.type === 'position' && c.dragging === false) {
        // The drag's last step (also when React Flow aborts a drag, which skips onNodeDragStop).
        if (c.position && dragRef.current) moved.set(c.id, c.position);
        ended = true;
      } else if (c.type === 'dimensions' && c.dimensions) {
        const old = s.sizes[c.id];
        if (!old || old.width !== c.dimensions.width || old.height !== c.dimensions.height) {
          measured[c.id] = c.dimensions;
          anySize = true;
        }
      }
    }
    if (sel) s.select([...sel], s.selectedEdges);
    if (moved.size) {
      const next = new Map(dragRef.current ?? []);
      for (const [id, p] of moved) next.set(id, p);
      dragRef.current = next;
      setDrag(next);
    }
    if (ended) commitDrag();
    if (anySize) {
      if (!pendingSizes.current) requestAnimationFrame(flushSizes);
      pendingSizes.current = { ...pendingSizes.current, ...measured };
    }
  }, [store, commitDrag, flushSizes]);

  const onEdgesChange = useCallback((changes: EdgeChange<ShapeFlowEdge>[]) => {
    const s = store.getState();
    let sel: Set<string> | null = null;
    for (const c of changes) {
      if (c.type !== 'select') continue;
      sel ??= new Set(s.selectedEdges);
      if (c.selected) sel.add(c.id);
      else sel.delete(c.id);
    }
    if (sel) s.select(store.getState().selected, [...sel]);
  }, [store]);

  const isValidConnection = useCallback((c: FlowConnection | RFEdge) => store.getState().checkConnection(toConnection(c)).ok, [store]);
  const onConnect = useCallback((c: FlowConnection) => { store.getState().connect(toConnection(c)); }, [store]);
  const onConnectEnd = useCallback((_e: MouseEvent | TouchEvent, st: FinalConnectionState) => {
    if (st.isValid !== false || !st.toHandle?.id || !st.fromHandle?.id || !st.toNode || !st.fromNode) return;
    const fromSource = st.fromHandle.type === 'source';
    const c = fromSource
      ? { source: st.fromNode.id, sourcePort: st.fromHandle.id, target: st.toNode.id, targetPort: st.toHandle.id }
      : { source: st.toNode.id, sourcePort: st.toHandle.id, target: st.fromNode.id, targetPort: st.fromHandle.id };
    const r = store.getState().checkConnection(c);
    if (!r.ok) store.getState().notify('error', r.reason, { untilEdit: true });
  }, [store]);
  const onDragStop = commitDrag;

  const onDragOver = useCallback((e: DragEvent) => {
    e.preventDefault();
    e.dataTransfer.dropEffect = e.dataTransfer.types.includes('Files') ? 'copy' : 'move';
  }, []);
  const onDrop = useCallback((e: DragEvent) => {
    e.preventDefault();
    const files = [...(e.dataTransfer.files ?? [])];
    if (files.length) return onFiles(files);
    const kind = e.dataTransfer.getData(KIND_MIME);
    if (!kind) return;
    const p = rf.screenToFlowPosition({ x: e.clientX, y: e.clientY });
    store.getState().addNode(kind, { x: Math.round(p.x - 110), y: Math.round(p.y - 30) });
  }, [rf, store, onFiles]);

  // A document opened from a template is laid out once its nodes are measured (folded into the open step).
  const initialised = useNodesInitialized();
  const needsLayout = useEditor(selectNeedsLayout);
  // A large one is laid out at once, with estimated sizes for the nodes not measured.
  const fit = useCanvasFit();
  useEffect(() => {
    const s = store.getState();
    if (!needsLayout || !initialised) return;
    let layoutSizes: Readonly<Record<string, Size>> = s.sizes;
    if (large) {
      const all: Record<string, Size> = {};
      for (const n of s.graph.nodes) all[n.id] = s.sizes[n.id] ?? estimateBox(n, s.views.get(n.id));
      layoutSizes = all;
    } else if (!s.graph.nodes.every((n) => s.sizes[n.id])) return;
    store.getState().moveNodes(quickLayout(s.graph, layoutSizes), { history: false });
    requestAnimationFrame(() => fit({ nodes: firstNodes }));
  }, [store, fit, needsLayout, initialised, sizes, large, firstNodes]);

  // The first fit once the nodes are measured and placed; then the canvas is marked interactive
  // (read by e2e tests and the benchmark).
  const marked = useRef(false);
  const wrapper = useRef<HTMLDivElement>(null);
  const empty = graph.nodes.length === 0;
  useEffect(() => {
    // An empty document has nothing to measure (React Flow never reports it initialised).
    if ((!initialised && !empty) || needsLayout || marked.current) return;
    marked.current = true;
    fit({ nodes: firstNodes });
    requestAnimationFrame(() => {
      performance.mark('unroll:interactive');
      document.documentElement.dataset.ready = 'true';
    });
  }, [initialised, needsLayout, empty, fit, firstNodes]);

  // The canvas changes size when the inspector opens, the dock is resized or a tab grows it: a
  // view the user has not moved since it was fitted is fitted again; otherwise the selected
  // layers are kept in view.
  const size = useFlowStore(flowSize);
  const lastSize = useRef(size);
  useEffect(() => {
    if (lastSize.current === size || !marked.current) return;
    lastSize.current = size;
    if (canvasView.getState().fitted) return fit({ nodes: firstNodes });
    const sel = store.getState().selected;
    if (!sel.length) return;
    const { x, y, zoom } = rf.getViewport();
    const b = rf.getNodesBounds([...sel]);
    const [w, h] = size.split('x').map(Number);
    const left = b.x * zoom + x, right = (b.x + b.width) * zoom + x, top = b.y * zoom + y, bottom = (b.y + b.height) * zoom + y;
    // Shift just enough to bring the far edge in, never past the near edge.
    const dx = right > w - 16 ? Math.max(w - 16 - right, 16 - left) : left < 16 ? 16 - left : 0;
    const dy = bottom > h - 16 ? Math.max(h - 16 - bottom, 16 - top) : top < 16 ? 16 - top : 0;
    if (dx || dy) void rf.setViewport({ x: x + dx, y: y + dy, zoom });
  }, [size, fit, rf, store]);

  // Node text size (the canvas's text zoom): nodes grow with their text; when they would then
  // overlap, the graph is laid out again as one undoable step, and refitted.
  const textScale = useCanvasView((v) => v.textScale);
  const minimapChoice = useCanvasView((v) => v.minimap);
  const minimapInTheWay = useCanvasView((v) => v.minimapInTheWay);
  const [w, h] = size.split('x').map(Number);
  const showMinimap = !large && minimapShown({ minimap: minimapChoice, minimapInTheWay }, { width: w, height: h });
  const lastScale = useRef(textScale);
  useEffect(() => {
    if (lastScale.current === textScale) return;
    lastScale.current = textScale;
    const t = setTimeout(() => {
      const s = store.getState();
      if (s.graph.nodes.length <= LARGE && overlapping(s.graph.nodes, s.sizes)) {
        void layoutGraph(s.graph, s.sizes).then((pos) => {
          store.getState().moveNodes(pos);
          store.getState().notify('info', `Text size ${Math.round(textScale * 100)}%: the layers were spaced out so they do not overlap (Undo puts them back).`);
          requestAnimationFrame(() => fit());
        });
      } else fit();
    }, 120);
    return () => clearTimeout(t);
  }, [textScale, store, fit]);
  const stepText = (d: 1 | -1) => {
    const k = TEXT_SCALES.indexOf(textScale as (typeof TEXT_SCALES)[number]);
    const next = TEXT_SCALES[Math.min(TEXT_SCALES.length - 1, Math.max(0, (k < 0 ? 1 : k) + d))];
    canvasView.setState({ textScale: next });
  };

  return (
    <div className={`canvas ${large ? 'large' : ''} ${drag ? 'dragging' : ''}`} tabIndex={-1} ref={wrapper} onDragOver={onDragOver} onDrop={onDrop}
      style={{ ['--nt' as string]: textScale }} data-text-scale={textScale}
      onPointerMove={(e) => { canvasPointer.set(rf.screenToFlowPosition({ x: e.clientX, y: e.clientY })); }}
      onPointerLeave={() => canvasPointer.set(null)}
      onPointerDownCapture={(e) => {
        // Keyboard navigation (Tab, arrows) works once the canvas has focus; fields keep theirs.
        if (!(e.target as HTMLElement).closest('input, select, textarea, button')) wrapper.current?.focus({ preventScroll: true });
      }}>
      <CompactContext.Provider value={compact}>
      <ConnectingContext.Provider value={connecting}>
      <ReactFlow<LayerFlowNode, ShapeFlowEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        defaultEdgeOptions={defaultEdgeOptions}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onNodeDragStop={onDragStop}
        onSelectionDragStop={onDragStop}
        isValidConnection={isValidConnection}
        onConnect={onConnect}
        onConnectEnd={onConnectEnd}
        connectionLineComponent={ConnectionLine}
        connectionRadius={28}
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={['Meta', 'Control']}
        selectionOnDrag={selectMode}
        panOnDrag={selectMode ? [1, 2] : true}
        zoomOnDoubleClick={false}
        disableKeyboardA11y
        onNodeClick={onInspect}
        onMoveStart={(e) => { if (e) canvasView.setState({ fitted: false }); }}
        minZoom={0.1}
        maxZoom={2}
        onlyRenderVisibleElements={large}
        attributionPosition="bottom-left"
        aria-label="Model canvas"
      >
        <Background variant={BackgroundVariant.Dots} gap={20} size={1.2} color="#cbd5e1" />
        {overview && <Overview graph={graph} sizes={sizes} views={views} />}
        <Controls position="top-left" orientation="horizontal" showFitView={false} style={{ margin: 10 }} aria-label="Zoom controls">
          <ControlButton onClick={() => stepText(-1)} disabled={textScale <= TEXT_SCALES[0]} aria-label="Smaller node text" title={`Smaller node text (now ${Math.round(textScale * 100)}%)`}>
            <span className="text-step small" aria-hidden>A</span>
          </ControlButton>
          <ControlButton onClick={() => stepText(1)} disabled={textScale >= TEXT_SCALES[TEXT_SCALES.length - 1]} aria-label="Larger node text" title={`Larger node text (now ${Math.round(textScale * 100)}%)`}>
            <span className="text-step" aria-hidden>A</span>
          </ControlButton>
          {!large && (
            <ControlButton onClick={() => canvasView.setState({ minimap: showMinimap ? 'off' : 'on' })} aria-pressed={showMinimap}
              aria-label={showMinimap ? 'Hide the minimap' : 'Show the minimap'} title={showMinimap ? 'Hide the minimap' : 'Show the minimap'}>
              <span className="minimap-icon" aria-hidden />
            </ControlButton>
          )}
        </Controls>
        {!large && <OffscreenHint onShowAll={() => fit({ whole: true, duration: 200 })} />}
        {showMinimap && <MiniMap<LayerFlowNode> pannable zoomable style={{ width: 160, height: 100 }} nodeColor={miniMapColor} nodeStrokeWidth={0} maskColor="rgba(241,245,249,0.7)" ariaLabel="Minimap" />}
      </ReactFlow>
      </ConnectingContext.Provider>
      </CompactContext.Provider>
    </div>
  );
}
