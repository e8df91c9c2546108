/**
 * A list of issues (the inspector's for its node, the dock's Issues tab, the Train and Data
 * panels'), each with its fix and, where the fix is an edit, a button that makes it; windowed when
 * long. Its own module so the dock does not load the inspector (loaded when it first opens).
 */
import { useRef } from 'react';
import type { Issue } from '../../core/types.ts';
import { useActions } from '../context.ts';
import { useRowWindow } from './useRowWindow.ts';

/** Height of an issue row in a windowed list (styles.css `.issue-list.windowed`), gap included. */
const ISSUE_ROW = 54;

export function IssueList({ issues, onPick }: { issues: readonly Issue[]; onPick?: (i: Issue) => void }) {
  const actions = useActions();
  const ref = useRef<HTMLUListElement>(null);
  const w = useRowWindow(issues.length, ISSUE_ROW, ref);
  return (
    <ul className={`issue-list ${w.windowed ? 'windowed' : ''}`} aria-label="Issues" ref={ref}
      style={w.windowed ? { paddingTop: 6 + w.before, paddingBottom: 6 + w.after } : undefined}>
      {issues.slice(w.start, w.end).map((i, j) => (
        <li key={w.start + j} className={`issue ${i.severity}`}>
          <button type="button" disabled={!onPick || !i.nodeId} onClick={() => onPick?.(i)}
            aria-label={`${i.severity}: ${i.message}`} title={w.windowed ? `${i.message}${i.fix ? `\nFix: ${i.fix}` : ''}` : undefined}>
            <span className="issue-icon" aria-hidden>{i.severity === 'error' ? '✕' : '!'}</span>
            <span className="issue-text">
              <span className="issue-message">{i.message}</span>
              {i.fix && (w.windowed || !i.action) && <span className="issue-fix">Fix: {i.fix}</span>}
            </span>
          </button>
          {i.action && !w.windowed && (
            // The fix is an edit: one click makes it (one undo step); the full sentence is its title.
            <button type="button" className="issue-action" onClick={() => actions.applyFix(i.action!)} title={i.fix}>
              {i.action.label}
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}
