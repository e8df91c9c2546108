/**
 * Every layer kind, grouped by category and searchable. Drag an item onto the canvas, or click it
 * (or press Enter on it) to add it right of the selected node, wired to it.
 */
import { useMemo, useState, type DragEvent } from 'react';
import { useReactFlow } from '@xyflow/react';
import { CATEGORIES, layersIn } from '../../core/registry.ts';
import { useActions } from '../context.ts';
import { KIND_MIME } from '../canvas/Canvas.tsx';
import { CATEGORY_COLOR } from '../theme.ts';

export function Palette() {
  const [query, setQuery] = useState('');
  const actions = useActions();
  const rf = useReactFlow();
  const groups = useMemo(() => {
    const q = query.trim().toLowerCase();
    return CATEGORIES.map((c) => ({
      category: c,
      layers: layersIn(c).filter((d) => !q || `${d.kind} ${d.kerasClass} ${d.help} ${c}`.toLowerCase().includes(q)),
    })).filter((g) => g.layers.length);
  }, [query]);

  const add = (kind: string) => {
    const pane = document.querySelector('.react-flow')?.getBoundingClientRect();
    const center = pane ? rf.screenToFlowPosition({ x: pane.left + pane.width / 2, y: pane.top + pane.height / 2 }) : { x: 0, y: 0 };
    actions.addNext(kind, { x: Math.round(center.x - 110), y: Math.round(center.y - 60) });
  };
  const onDragStart = (e: DragEvent, kind: string) => {
    e.dataTransfer.setData(KIND_MIME, kind);
    e.dataTransfer.effectAllowed = 'move';
  };

  return (
    <nav className="palette" aria-label="Layer palette">
      <input
        type="search" className="palette-search" placeholder="Search layers…" aria-label="Search layers"
        value={query} onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => { if (e.key === 'Enter' && groups[0]) add(groups[0].layers[0].kind); }}
      />
      <div className="palette-groups">
        {groups.map((g) => (
          <section key={g.category} aria-label={g.category}>
            <h3>{g.category}</h3>
            <ul>
              {g.layers.map((d) => (
                <li key={d.kind}>
                  <button
                    type="button" className="palette-item" draggable
                    aria-label={`Add ${d.kind}`} title={d.help}
                    style={{ ['--cat' as string]: CATEGORY_COLOR[d.category] }}
                    onDragStart={(e) => onDragStart(e, d.kind)} onClick={() => add(d.kind)}
                  >
                    <span className="dot" aria-hidden />
                    <span className="palette-kind">{d.kind}</span>
                  </button>
                </li>
              ))}
            </ul>
          </section>
        ))}
        {!groups.length && <p className="muted">No layer matches “{query}”.</p>}
      </div>
      <p className="palette-hint">Drag onto the canvas, or click to add after the selected layer.</p>
    </nav>
  );
}
