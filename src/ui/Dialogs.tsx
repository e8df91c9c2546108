/** Modal dialogs: the frame every dialog uses, and the keyboard shortcuts overlay (?). The gallery is in gallery/. */
import { useEffect, useRef, type ReactNode } from 'react';
import { Icon } from './icons.tsx';

export function Modal({ title, onClose, children, wide, className = '' }: { title: string; onClose: () => void; children: ReactNode; wide?: boolean; className?: string }) {
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
      <div className={`modal ${wide ? 'wide' : ''} ${className}`} role="dialog" aria-modal="true" aria-label={title} ref={ref}>
        <header><h2>{title}</h2><button className="icon-button" aria-label="Close" onClick={onClose}><Icon name="close" /></button></header>
        <div className="modal-body">{children}</div>
      </div>
    </div>
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
