/**
 * The selected node's details: its name, every parameter (Keras name, help, limits, validation)
 * including the wrapped layer's, its outputs as inference sees them, and its issues with their fix.
 */
import { useEffect, useMemo, useState } from 'react';
import type { ParamSpec } from '../../core/params.ts';
import { getLayer } from '../../core/registry.ts';
import type { GraphNode, Params } from '../../core/types.ts';
import { nodeSelector, selectFocusId, selectSelected, viewSelector } from '../../store/index.ts';
import { useActions, useEditor } from '../context.ts';
import { Icon } from '../icons.tsx';
import { CATEGORY_COLOR } from '../theme.ts';
import { ParamField } from './ParamField.tsx';
import { ParamBreakdown } from '../inside/ParamBreakdown.tsx';
import { UnrollButton } from '../inside/UnrollButton.tsx';
import { IssueList } from './IssueList.tsx';

export function Inspector({ onClose }: { onClose?: () => void }) {
  const id = useEditor(selectFocusId);
  const count = useEditor(selectSelected).length;
  return (
    <aside className="inspector" aria-label="Inspector">
      {onClose && (
        <button type="button" className="icon-button inspector-close" aria-label="Close the inspector" title="Close the inspector (I)" onClick={onClose}>
          <Icon name="close" size={16} />
        </button>
      )}
      {id ? <NodeInspector key={id} id={id} /> : (
        <div className="inspector-empty">
          <h2>Inspector</h2>
          <p className="muted">{count > 1 ? `${count} layers selected.` : 'Select a layer to see and edit its parameters.'}</p>
        </div>
      )}
    </aside>
  );
}

function NodeInspector({ id }: { id: string }) {
  const node = useEditor(useMemo(() => nodeSelector(id), [id]));
  const view = useEditor(useMemo(() => viewSelector(id), [id]));
  const actions = useActions();
  const def = node && getLayer(node.kind);
  if (!node || !def || !view) return null;
  return (
    <div className="inspector-body" style={{ ['--cat' as string]: CATEGORY_COLOR[def.category] }}>
      <header className="inspector-head">
        {def.swapsWith?.length ? (
          // Change the layer's kind in place (LSTM → GRU → SimpleRNN): name, wires and shared parameters stay.
          <label className="inspector-kind">
            keras.layers.
            <select aria-label="Layer kind" value={node.kind} onChange={(e) => actions.changeKind(id, e.target.value)}
              title="Change this layer's kind, keeping its name, wires and the parameters both kinds have">
              {[node.kind, ...def.swapsWith].map((k) => <option key={k} value={k}>{k}</option>)}
            </select>
          </label>
        ) : <span className="inspector-kind">{def.kerasClass === 'Output' ? 'Output' : `keras.layers.${def.kerasClass}`}</span>}
        <NameField node={node} />
        <p className="inspector-help">{def.help}</p>
      </header>
      {view.issues.length > 0 && <IssueList issues={view.issues} />}
      <section aria-label="Outputs" className="inspector-section">
        <h3>Output{view.outputs.length > 1 ? 's' : ''}</h3>
        <dl className="outputs">
          {view.outputs.map((p) => (
            <div key={p.name}><dt>{p.label}</dt><dd><code>{p.shape ?? '?'}</code>{p.tensor?.dtype === 'int32' && ' int32'}{p.tensor?.masked && ' · masked'}</dd></div>
          ))}
          <div><dt>params</dt><dd><code>{view.params === null ? '0 (unbuilt)' : view.params.toLocaleString('en-US')}</code></dd></div>
        </dl>
        {def.recurrent && <UnrollButton id={id} name={node.name} label="Unroll in time" />}
      </section>
      {def.recurrent && <ParamBreakdown id={id} />}
      <section aria-label="Parameters" className="inspector-section">
        <h3>Parameters</h3>
        {def.params.map((s) => s.type === 'layer'
          ? <WrappedLayer key={s.name} node={node} spec={s} />
          : <ParamField key={s.name} spec={s} value={node.params[s.name]} onChange={(v) => actions.setParams(id, { [s.name]: v })} />)}
      </section>
    </div>
  );
}

function NameField({ node }: { node: GraphNode }) {
  const actions = useActions();
  const [value, setValue] = useState(node.name);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => { setValue(node.name); setError(null); }, [node.name]);
  const commit = () => setError(actions.rename(node.id, value));
  return (
    <div className={`field name ${error ? 'invalid' : ''}`}>
      <input className="inspector-name" aria-label="Layer name" aria-invalid={!!error} value={value} spellCheck={false}
        onChange={(e) => setValue(e.target.value)} onBlur={commit} onKeyDown={(e) => { if (e.key === 'Enter') commit(); }} />
      {error && <p className="field-error" role="alert">{error}</p>}
    </div>
  );
}

function WrappedLayer({ node, spec }: { node: GraphNode; spec: Extract<ParamSpec, { type: 'layer' }> }) {
  const actions = useActions();
  const inner = node.params[spec.name] as { kind: string; params: Params };
  const def = getLayer(inner.kind);
  return (
    <fieldset className="wrapped">
      <legend><code>{spec.name}</code></legend>
      <div className="field">
        <label className="field-name" htmlFor={`${node.id}-wrapped`}>wrapped layer</label>
        <select id={`${node.id}-wrapped`} aria-label={`${spec.name} kind`} value={inner.kind}
          onChange={(e) => actions.setInnerKind(node.id, spec.name, e.target.value)}>
          {spec.kinds.map((k) => <option key={k}>{k}</option>)}
        </select>
        <p className="field-help">{spec.help}</p>
      </div>
      {def?.params.map((s) => (
        <ParamField key={s.name} spec={s} prefix={`${spec.name}.`} value={inner.params[s.name] ?? (s.default as Params[string])}
          onChange={(v) => actions.setInnerParams(node.id, spec.name, { [s.name]: v })} />
      ))}
    </fieldset>
  );
}
