/**
 * Far-zoomed rendering: below COMPACT_ZOOM nodes and wires show only names and handles (text would be
 * unreadable, and it is costly to paint). The canvas reads the zoom once and hands the flag down by
 * context: one React Flow store subscription instead of one per node and per wire (every one of them
 * runs on each store update, i.e. every frame of a drag).
 */
import { createContext, useContext } from 'react';
import type { ReactFlowState } from '@xyflow/react';

export const COMPACT_ZOOM = 0.4;
export const compactSelector = (s: ReactFlowState) => s.transform[2] < COMPACT_ZOOM;
export const CompactContext = createContext(false);
export const useCompact = () => useContext(CompactContext);
