/** Modal dialogs: the template picker (New) and the keyboard shortcuts overlay (?). */
import { useEffect, useRef, type ReactNode } from 'react';
import { TEMPLATES, type Template } from '../../templates/index.ts';
import { Icon } from './icons.tsx';

function Modal({ title, onClose, children, wide }: { title: string; onClose: () => void; children: ReactNode; wide?: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const prev = document.activeElement as HTMLElement | null;
    ref.current?.querySelector<HTMLElement>('button, [href], input')?.focus();
    const onKey = (e: KeyboardEvent) => { if (e.key === 'Escape') { e.stopPropagation(); onClose(); } };
    window.addEventListener('keydown', onKey, true);
    return () => { window.removeEventListener('keydown', onKey, true); prev?.focus?.(); };
  }, [onClose]);
  return (
    <div className="modal-backdrop" onMouseDown={(e) => { if (e.target === e.currentTarget) onClose(); }}>
      <div className={`modal ${wide ? 'wide' : ''}`} role="dialog" aria-modal="true" aria-label={title} ref={ref}>
        <header><h2>{title}</h2><button className="icon-button" aria-label="Close" onClick={onClose}><Icon name="close" /></button></header>
        <div className="modal-body">{children}</div>
      </div>
    </div>
  );
}

export function TemplatePicker({ onPick, onBlank, onClose }: { onPick: (t: Template) => void; onBlank: () => void; onClose: () => void }) {
  return (
    <Modal title="New project" onClose={onClose} wide>
      <p className="muted">Start from a model of the Keras lesson, or from an empty canvas. (You can undo this.)</p>
      <ul className="templates">
        {TEMPLATES.map((t) => (
          <li key={t.id}>
            <button className="template" onClick={() => onPick(t)} aria-label={`Template: ${t.title}`}>
              <span className="template-title">{t.title}</span>
              <span className="template-pattern">{t.pattern}</span>
              <span className="template-desc">{t.description}</span>
            </button>
          </li>
        ))}
        <li>
          <button className="template blank" onClick={onBlank} aria-label="Blank canvas">
            <span className="template-title">Blank canvas</span>
            <span className="template-desc">An empty model: add an Input from the palette.</span>
          </button>
        </li>
      </ul>
    </Modal>
  );
}

const mod = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform) ? '⌘' : 'Ctrl';

export const SHORTCUTS: readonly [string, string][] = [
  [`${mod} Z`, 'Undo'],
  [`${mod} Shift Z  /  ${mod} Y`, 'Redo'],
  [`${mod} C / X / V`, 'Copy / cut / paste layers'],
  [`${mod} D`, 'Duplicate the selection'],
  ['Delete / Backspace', 'Delete the selection'],
  [`${mod} A`, 'Select everything'],
  ['Shift + drag', 'Select with a box'],
  ['F2 / double-click a name', 'Rename the layer'],
  ['Tab / Shift Tab', 'Next / previous layer (model order)'],
  ['Arrow keys', 'Go to the nearest layer in that direction'],
  ['Enter (in the palette)', 'Add the layer after the selected one'],
  ['L', 'Auto-layout'],
  ['F', 'Fit the model in view (text stays readable; again: the whole model)'],
  ['I', 'Show or hide the inspector of the selected layer'],
  [`${mod} S / ${mod} O`, 'Save / open a project file'],
  ['?', 'This help'],
  ['Esc', 'Clear the selection / close'],
];

export function HelpOverlay({ onClose }: { onClose: () => void }) {
  return (
    <Modal title="Keyboard shortcuts" onClose={onClose}>
      <table className="shortcuts">
        <tbody>{SHORTCUTS.map(([k, v]) => <tr key={k}><td><kbd>{k}</kbd></td><td>{v}</td></tr>)}</tbody>
      </table>
      <p className="muted">Build a model: drag layers from the palette, wire an output (right) to an input (left). Shapes update as you go; red badges say what to fix.</p>
    </Modal>
  );
}
