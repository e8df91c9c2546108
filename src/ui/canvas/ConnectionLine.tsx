/**
 * The wire being dragged. Over a handle that would refuse it, the line turns red and the core's
 * reason (`canConnect`) is shown at the pointer.
 */
import { getBezierPath, type ConnectionLineComponentProps } from '@xyflow/react';
import { useEditor } from '../context.ts';
import { selectCheckConnection } from '../../store/index.ts';

export function ConnectionLine({ fromX, fromY, toX, toY, fromPosition, toPosition, fromNode, fromHandle, toNode, toHandle, connectionStatus }: ConnectionLineComponentProps) {
  const check = useEditor(selectCheckConnection);
  const [path] = getBezierPath({ sourceX: fromX, sourceY: fromY, sourcePosition: fromPosition, targetX: toX, targetY: toY, targetPosition: toPosition });
  let reason: string | null = null;
  if (connectionStatus === 'invalid' && toNode && toHandle?.id && fromHandle.id) {
    const fromSource = fromHandle.type === 'source';
    const r = check(fromSource
      ? { source: fromNode.id, sourcePort: fromHandle.id, target: toNode.id, targetPort: toHandle.id }
      : { source: toNode.id, sourcePort: toHandle.id, target: fromNode.id, targetPort: fromHandle.id });
    if (!r.ok) reason = r.reason;
    else if (fromHandle.type === toHandle.type) reason = 'Connect an output (right side) to an input (left side).';
  }
  return (
    <g className={`connection-line ${connectionStatus ?? ''}`}>
      <path d={path} fill="none" />
      {reason && (
        <foreignObject x={toX + 14} y={toY + 10} width={300} height={140} style={{ overflow: 'visible' }}>
          <div className="refuse-reason" role="alert" data-testid="refuse-reason">{reason}</div>
        </foreignObject>
      )}
    </g>
  );
}
