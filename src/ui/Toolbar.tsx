/**
 * The toolbar: project name, files, editing, view, and a separate Model group for export/import
 * (shown only when those functions exist, see exportImport.ts). Every button has an accessible name.
 */
import { useStore } from 'zustand';
import type { ReactNode } from 'react';
import { selectHasClipboard, selectName, selectSelected, selectSelectedEdges } from '../store/index.ts';
import { useActions, useEditor, useEditorStore } from './context.ts';
import type { Commands } from './commands.ts';
import { Icon } from './icons.tsx';

interface Props {
  readonly cmd: Commands;
  /** Opens the gallery (templates, blank canvas, recent projects). */
  readonly onGallery: () => void;
  /** Shows or hides the lesson panel. */
  readonly onLesson: () => void;
  readonly lessonOpen: boolean;
  readonly onHelp: () => void;
  readonly selectMode: boolean;
  readonly onSelectMode: (v: boolean) => void;
  /** The export/import group, when available. */
  readonly modelMenu?: ReactNode;
  /** The inspector is showing; the button toggles it (enabled with a selection). */
  readonly inspector?: boolean;
  readonly onInspector?: () => void;
}

function Btn({ icon, label, onClick, disabled, shortcut, pressed, text }: {
  icon: string; label: string; onClick: () => void; disabled?: boolean; shortcut?: string; pressed?: boolean; text?: boolean;
}) {
  return (
    <button type="button" className={`tool ${text ? 'with-text' : ''}`} aria-label={label} title={shortcut ? `${label} (${shortcut})` : label}
      onClick={onClick} disabled={disabled} aria-pressed={pressed}>
      <Icon name={icon} />{text && <span>{label}</span>}
    </button>
  );
}

export function Toolbar({ cmd, onGallery, onLesson, lessonOpen, onHelp, selectMode, onSelectMode, modelMenu, inspector, onInspector }: Props) {
  const store = useEditorStore();
  const a = useActions();
  const name = useEditor(selectName);
  const hasSel = useEditor(selectSelected).length > 0;
  const hasEdgeSel = useEditor(selectSelectedEdges).length > 0;
  const hasClip = useEditor(selectHasClipboard);
  const canUndo = useStore(store.temporal, (t) => t.pastStates.length > 0);
  const canRedo = useStore(store.temporal, (t) => t.futureStates.length > 0);
  return (
    <header className="toolbar" role="toolbar" aria-label="Editor toolbar">
      <div className="brand" aria-hidden><span className="logo">⟲</span> <span className="brand-name">Unroll</span></div>
      <input className="project-name" aria-label="Project name" value={name} spellCheck={false}
        onChange={(e) => a.setName(e.target.value)} />
      <div className="tool-group" role="group" aria-label="File">
        <Btn icon="gallery" label="Gallery" text onClick={onGallery} shortcut="templates, blank canvas, recent projects" />
        <Btn icon="open" label="Open" text onClick={() => void cmd.open()} shortcut="Ctrl+O" />
        <Btn icon="save" label="Save" text onClick={cmd.save} shortcut="Ctrl+S" />
      </div>
      <div className="tool-group" role="group" aria-label="Edit">
        <Btn icon="undo" label="Undo" onClick={a.undo} disabled={!canUndo} shortcut="Ctrl+Z" />
        <Btn icon="redo" label="Redo" onClick={a.redo} disabled={!canRedo} shortcut="Ctrl+Shift+Z" />
        <Btn icon="copy" label="Copy" onClick={a.copy} disabled={!hasSel} shortcut="Ctrl+C" />
        <Btn icon="paste" label="Paste" onClick={() => a.paste()} disabled={!hasClip} shortcut="Ctrl+V" />
        <Btn icon="duplicate" label="Duplicate" onClick={a.duplicate} disabled={!hasSel} shortcut="Ctrl+D" />
        <Btn icon="delete" label="Delete" onClick={a.removeSelection} disabled={!hasSel && !hasEdgeSel} shortcut="Delete" />
      </div>
      <div className="tool-group" role="group" aria-label="View">
        <Btn icon="layout" label="Auto-layout" text onClick={() => void cmd.layout()} shortcut="L" />
        <Btn icon="fit" label="Fit view" onClick={cmd.fit} shortcut="F" />
        <Btn icon="select" label="Box select mode" onClick={() => onSelectMode(!selectMode)} pressed={selectMode} shortcut="or Shift+drag" />
        {onInspector && <Btn icon="inspector" label="Inspector" onClick={onInspector} pressed={!!inspector} disabled={!hasSel} shortcut="I" />}
      </div>
      <Btn icon="lesson" label="Lesson" text onClick={onLesson} pressed={lessonOpen} shortcut="the Keras lesson, step by step" />
      <div className="spacer" />
      {modelMenu && <div className="tool-group model" role="group" aria-label="Model">{modelMenu}</div>}
      <Btn icon="help" label="Keyboard shortcuts" onClick={onHelp} shortcut="?" />
    </header>
  );
}
