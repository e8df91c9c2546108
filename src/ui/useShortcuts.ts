/** The editor's keyboard shortcuts (listed in the help overlay, Dialogs.tsx). Ignored while typing in a field. */
import { useEffect } from 'react';
import { useEditorStore } from './context.ts';
import type { Commands } from './commands.ts';
import { canvasPointer } from './canvas/view.ts';

const NOT_TEXT = new Set(['checkbox', 'radio', 'button', 'submit', 'range', 'color', 'file']);

function typing(t: EventTarget | null): boolean {
  const el = t as HTMLElement | null;
  if (!el || !el.tagName) return false;
  if (el.tagName === 'INPUT') return !NOT_TEXT.has((el as HTMLInputElement).type);
  return el.isContentEditable || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT';
}

/** Focus is on the canvas or nowhere in particular (Tab and arrows navigate nodes only there). */
function onCanvas(t: EventTarget | null): boolean {
  const el = t as HTMLElement | null;
  return !el || el === document.body || !!el.closest?.('.canvas');
}

export function useShortcuts(cmd: Commands, ui: { help(): void; anyDialog: boolean; inspector?(): void; inspect?(): void }) {
  const store = useEditorStore();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (ui.anyDialog || typing(e.target)) return;
      const s = store.getState();
      const mod = e.ctrlKey || e.metaKey;
      const k = e.key.toLowerCase();
      const run = (f: () => void) => { e.preventDefault(); f(); };
      if (mod && k === 'z') return run(e.shiftKey ? s.redo : s.undo);
      if (mod && k === 'y') return run(s.redo);
      if (mod && k === 'c') return s.selected.length ? run(s.copy) : undefined;
      if (mod && k === 'x') return s.selected.length ? run(s.cut) : undefined;
      // A paste from the keyboard lands at the pointer when it is over the canvas.
      if (mod && k === 'v') return run(() => s.paste(canvasPointer.get() ?? undefined));
      if (mod && k === 'd') return run(s.duplicate);
      if (mod && k === 'a') return run(s.selectAll);
      if (mod && k === 's') return run(cmd.save);
      if (mod && k === 'o') return run(() => void cmd.open());
      if (mod || e.altKey) return;
      if (e.key === 'Delete' || e.key === 'Backspace') return run(s.removeSelection);
      if (e.key === 'F2') return run(cmd.renameSelected);
      if (e.key === '?') return run(ui.help);
      if (e.key === 'Escape') return run(() => s.select([]));
      if (k === 'l' && !e.shiftKey) return run(() => void cmd.layout());
      if (k === 'f' && !e.shiftKey) return run(cmd.fit);
      if (k === 'i' && !e.shiftKey && ui.inspector) return run(ui.inspector);
      if (!onCanvas(e.target)) return;
      // Going to a layer by keyboard is looking at it: the inspector opens (as a click on the node does).
      if (e.key === 'Tab') return run(() => { s.navigate(e.shiftKey ? 'prev' : 'next'); ui.inspect?.(); });
      const dir = { ArrowLeft: 'left', ArrowRight: 'right', ArrowUp: 'up', ArrowDown: 'down' } as const;
      if (e.key in dir) return run(() => { s.navigate(dir[e.key as keyof typeof dir]); ui.inspect?.(); });
      if (e.key === 'Enter' && s.selected.length === 1) return run(cmd.renameSelected);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store, cmd, ui]);
}
