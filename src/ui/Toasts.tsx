/** Messages at the bottom of the canvas: errors stay longer than confirmations; each can be closed. */
import { useEffect } from 'react';
import { selectMessages, type Message } from '../store/index.ts';
import { useActions, useEditor } from './context.ts';
import { Icon } from './icons.tsx';

export function Toasts() {
  const messages = useEditor(selectMessages);
  return (
    <div className="toasts" aria-live="polite">
      {messages.map((m) => <Toast key={m.id} m={m} />)}
    </div>
  );
}

function Toast({ m }: { m: Message }) {
  const { dismiss } = useActions();
  useEffect(() => {
    const t = setTimeout(() => dismiss(m.id), m.level === 'error' ? 12_000 : 4_000);
    return () => clearTimeout(t);
  }, [m.id, m.level, dismiss]);
  return (
    <div className={`toast ${m.level}`} role={m.level === 'error' ? 'alert' : 'status'}>
      <span className="toast-text">{m.text}</span>
      <button className="icon-button" aria-label="Dismiss message" onClick={() => dismiss(m.id)}><Icon name="close" size={14} /></button>
    </div>
  );
}
