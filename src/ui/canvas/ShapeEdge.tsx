/**
 * A wire labelled with the tensor shape it carries (from the store's edge views). Masked tensors
 * are drawn dashed with a ◐ mask mark; wires whose shape is unknown are drawn faint.
 */
import { memo, useMemo } from 'react';
import { BaseEdge, EdgeLabelRenderer, getBezierPath, type EdgeProps } from '@xyflow/react';
import { useCompact } from './compact.ts';
import { edgeViewSelector } from '../../store/index.ts';
import { useEditor } from '../context.ts';
import type { ShapeFlowEdge } from './flow.ts';

export const ShapeEdge = memo(function ShapeEdge(props: EdgeProps<ShapeFlowEdge>) {
  const { id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, selected } = props;
  const view = useEditor(useMemo(() => edgeViewSelector(id), [id]));
  const compact = useCompact();
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  const cls = `shape-edge ${view?.masked ? 'masked' : ''} ${view?.shape ? '' : 'unknown'} ${selected ? 'selected' : ''}`;
  return (
    <>
      <BaseEdge id={id} path={path} className={cls} interactionWidth={18} />
      {view?.shape && !compact && (
        <EdgeLabelRenderer>
          <div
            className={`edge-label ${view.masked ? 'masked' : ''} ${selected ? 'selected' : ''}`}
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
            data-testid={`edge-label-${id}`}
            title={view.masked ? 'This tensor carries a padding mask' : undefined}
          >
            {view.masked && <span className="mask-icon" aria-label="masked">◐</span>}
            {view.shape}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
});
