/**
 * The React Flow canvas, controlled by the store: nodes and edges come from the document (see
 * flow.ts), changes go back as store actions. A node drag moves the nodes in this component's state
 * and commits once at the end (one undo step). Dropping a palette item adds that layer; dropping a file opens it.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import {
  Background, BackgroundVariant, Controls, MiniMap, ReactFlow, useNodesInitialized, useReactFlow, useStore as useFlowStore,
  type Connection as FlowConnection, type EdgeChange, type Edge as RFEdge, type FinalConnectionState, type NodeChange,
} from '@xyflow/react';
import type { XY } from '../../core/types.ts';
import {
  quickLayout, selectGraph, selectNeedsLayout, selectSelected, selectSelectedEdges, selectSizes, selectViews, type Size,
} from '../../store/index.ts';
import { useEditor, useEditorStore } from '../context.ts';
import { CompactContext, compactSelector } from './compact.ts';
import { ConnectionLine } from './ConnectionLine.tsx';
import { estimateBox } from './estimate.ts';
import { Overview, wantsOverview } from './Overview.tsx';
import { createFlowMapper, type LayerFlowNode, type ShapeFlowEdge } from './flow.ts';
import { LayerNode } from './LayerNode.tsx';
import { ShapeEdge } from './ShapeEdge.tsx';

/** MIME type of a palette item being dragged. */
export const KIND_MIME = 'application/x-unroll-kind';

const nodeTypes = { layer: LayerNode };
const LARGE = 150;
const edgeTypes = { shape: ShapeEdge };
const fitViewOptions = { padding: 0.08, maxZoom: 1.1 };
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

function toConnection(c: FlowConnection | RFEdge) {
  return { source: c.source, sourcePort: c.sourceHandle ?? '', target: c.target, targetPort: c.targetHandle ?? '' };
}

export interface CanvasProps {
  readonly selectMode: boolean;
  /** Files dropped on the canvas (a project, or a model with its weight files). */
  readonly onFiles: (files: File[]) => void;
}

export function Canvas({ selectMode, onFiles }: CanvasProps) {
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
  const fitOptions = useMemo(() => (large ? { ...fitViewOptions, nodes: firstView(graph.nodes) } : fitViewOptions), [large, graph.nodes]);
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
    if (!r.ok) store.getState().notify('error', r.reason);
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
    requestAnimationFrame(() => rf.fitView(fitOptions));
  }, [store, rf, needsLayout, initialised, sizes, large, fitOptions]);

  // Mark the canvas interactive once the first nodes are measured and placed (read by e2e tests and the benchmark).
  const marked = useRef(false);
  const wrapper = useRef<HTMLDivElement>(null);
  const empty = graph.nodes.length === 0;
  useEffect(() => {
    // An empty document has nothing to measure (React Flow never reports it initialised).
    if ((!initialised && !empty) || needsLayout || marked.current) return;
    marked.current = true;
    requestAnimationFrame(() => {
      performance.mark('unroll:interactive');
      document.documentElement.dataset.ready = 'true';
    });
  }, [initialised, needsLayout, empty]);

  return (
    <div className={`canvas ${large ? 'large' : ''} ${drag ? 'dragging' : ''}`} tabIndex={-1} ref={wrapper} onDragOver={onDragOver} onDrop={onDrop}
      onPointerDownCapture={(e) => {
        // Keyboard navigation (Tab, arrows) works once the canvas has focus; fields keep theirs.
        if (!(e.target as HTMLElement).closest('input, select, textarea, button')) wrapper.current?.focus({ preventScroll: true });
      }}>
      <CompactContext.Provider value={compact}>
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
        fitView
        fitViewOptions={fitOptions}
        minZoom={0.1}
        maxZoom={2}
        onlyRenderVisibleElements={large}
        attributionPosition="bottom-left"
        aria-label="Model canvas"
      >
        <Background variant={BackgroundVariant.Dots} gap={20} size={1.2} color="#cbd5e1" />
        {overview && <Overview graph={graph} sizes={sizes} views={views} />}
        <Controls position="bottom-left" showFitView={false} style={{ marginLeft: 8, marginBottom: 28 }} aria-label="Zoom controls" />
        {!large && <MiniMap<LayerFlowNode> pannable zoomable style={{ width: 160, height: 100 }} nodeColor={miniMapColor} nodeStrokeWidth={0} maskColor="rgba(241,245,249,0.7)" ariaLabel="Minimap" />}
      </ReactFlow>
      </CompactContext.Provider>
    </div>
  );
}
