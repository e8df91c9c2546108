/**
 * Which input ports a node shows. Optional inputs (initial states) appear on demand, as
 * return_state makes state outputs appear: when connected, while a wire is being dragged (so it can
 * be dropped on them), or when the node's "+ initial state" is pressed. A beginner's Bidirectional
 * shows one input, not five. Shared by the node (LayerNode.tsx) and its size estimate (estimate.ts).
 */
import { createContext, useContext } from 'react';
import type { ReactFlowState } from '@xyflow/react';

export function shownInputs<P extends { readonly optional?: boolean; readonly connected?: boolean }>(inputs: readonly P[], expanded: boolean): P[] {
  return inputs.filter((p) => !p.optional || p.connected || expanded);
}

/** A wire is being dragged: every node shows its optional inputs. Read once by the canvas, handed down by context. */
export const connectingSelector = (s: ReactFlowState) => s.connection.inProgress;
export const ConnectingContext = createContext(false);
export const useConnecting = () => useContext(ConnectingContext);
