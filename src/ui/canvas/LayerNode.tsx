/**
 * The one node component for every layer kind. What it shows comes from the layer definition
 * (kind, key parameters, on-node toggles, wrapped layer) and from the store's inference views
 * (ports, shapes, parameter count, issues); nothing here switches on a kind or computes a shape.
 */
import { memo, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { Handle, Position, useUpdateNodeInternals, type NodeProps } from '@xyflow/react';
import type { ParamSpec } from '../../core/params.ts';
import { getLayer } from '../../core/registry.ts';
import type { GraphNode, Params } from '../../core/types.ts';
import { nodeSelector, viewSelector, type NodeView, type PortView } from '../../store/index.ts';
import { useActions, useEditor } from '../context.ts';
import { CATEGORY_COLOR, formatValue } from '../theme.ts';
import { useCompact } from './compact.ts';
import { shownInputs, useConnecting } from './ports.ts';
import type { LayerFlowNode } from './flow.ts';
import { UnrollButton } from '../inside/UnrollButton.tsx';

type LayerValue = { kind: string; params: Params };

const renamingSelector = (id: string) => (s: { renaming: string | null }) => s.renaming === id;

export const LayerNode = memo(function LayerNode({ id, selected }: NodeProps<LayerFlowNode>) {
  const node = useEditor(useMemo(() => nodeSelector(id), [id]));
  const view = useEditor(useMemo(() => viewSelector(id), [id]));
  const renaming = useEditor(useMemo(() => renamingSelector(id), [id]));
  const actions = useActions();
  // Handles come and go with parameters (return_state); React Flow must re-measure them even when the size stays.
  const updateInternals = useUpdateNodeInternals();
  // Optional inputs (initial states) on demand: connected, while a wire is dragged, or asked for.
  const [showOptional, setShowOptional] = useState(false);
  const connecting = useConnecting();
  const inputs = useMemo(() => (view ? shownInputs(view.inputs, showOptional || connecting) : []), [view, showOptional, connecting]);
  const hiddenInputs = view ? view.inputs.length - shownInputs(view.inputs, false).length : 0;
  const ports = view ? `${inputs.map((p) => p.name)}|${view.outputs.map((p) => p.name)}` : '';
  // Not on mount: React Flow measures new nodes itself, all at once (one call per mounted node
  // walked every node of a large graph, once per node).
  const measuredPorts = useRef(ports);
  useEffect(() => {
    if (measuredPorts.current === ports) return;
    measuredPorts.current = ports;
    updateInternals(id);
  }, [id, ports, updateInternals]);
  const compact = useCompact();
  const def = node && getLayer(node.kind);
  if (!node || !def || !view) return <div className="layer-node broken">{node?.kind ?? id}</div>;
  if (compact) return <CompactNode node={node} view={view} color={CATEGORY_COLOR[def.category]} selected={!!selected} />;
  const toggles = def.params.filter((p) => p.onNode && p.type === 'bool');
  const layerSpecs = def.params.filter((p): p is Extract<ParamSpec, { type: 'layer' }> => p.type === 'layer');
  const status = view.errors ? 'has-error' : view.warnings ? 'has-warning' : '';
  return (
    <div
      className={`layer-node ${status} ${selected ? 'selected' : ''}`}
      style={{ ['--cat' as string]: CATEGORY_COLOR[def.category] }}
      data-kind={node.kind}
      data-name={node.name}
      data-testid={`node-${node.name}`}
    >
      <header className="node-head">
        <span className="node-kind">{def.kerasClass === 'InputLayer' ? 'Input' : node.kind}</span>
        {renaming ? <RenameField node={node} /> : <NodeName node={node} />}
      </header>
      <KeyParams names={def.keyParams ?? []} params={node.params} />
      {layerSpecs.map((s) => <Wrapped key={s.name} node={node} spec={s} />)}
      {toggles.length > 0 && (
        <div className="node-toggles nodrag">
          {toggles.map((t) => (
            <Toggle key={t.name} label={t.name} on={node.params[t.name] === true} owner={node.name}
              onChange={(v) => actions.setParams(id, { [t.name]: v })} />
          ))}
        </div>
      )}
      <Ports inputs={inputs} outputs={view.outputs} />
      {((hiddenInputs > 0 && !connecting) || def.recurrent) && (
        // One row under the ports: the optional inputs on demand (left), unroll in time (right).
        <div className="node-unroll">
          {hiddenInputs > 0 && !connecting && (
            <button type="button" className="node-more-inputs nodrag" aria-expanded={showOptional}
              aria-label={`${showOptional ? 'Hide' : 'Show'} the initial-state inputs of ${node.name}`} onClick={() => setShowOptional(!showOptional)}
              title="Initial states are optional: connect them only to start the layer from given states (e.g. an encoder's h and c)">
              {showOptional ? '− hide initial state' : '+ initial state'}
            </button>
          )}
          {def.recurrent && <UnrollButton id={id} name={node.name} />}
        </div>
      )}
      <footer className="node-foot">
        <span className="node-params" title="Trainable + non-trainable parameters (Keras Param #)">
          {view.params === null ? 'unbuilt' : `${view.params.toLocaleString('en-US')} params`}
        </span>
        <span className="node-badges">
          {view.errors > 0 && (
            <span className="badge error" role="img" aria-label={`${view.errors} error${view.errors > 1 ? 's' : ''}`}
              title={view.issues.filter((i) => i.severity === 'error').map((i) => i.message).join('\n')}>✕ {view.errors}</span>
          )}
          {view.warnings > 0 && (
            <span className="badge warning" role="img" aria-label={`${view.warnings} warning${view.warnings > 1 ? 's' : ''}`}
              title={view.issues.filter((i) => i.severity === 'warning').map((i) => i.message).join('\n')}>! {view.warnings}</span>
          )}
        </span>
      </footer>
    </div>
  );
});

/** The far-zoomed node: kind, name, status and the handles (so wires still attach). */
function CompactNode({ node, view, color, selected }: { node: GraphNode; view: NodeView; color: string; selected: boolean }) {
  const status = view.errors ? 'has-error' : view.warnings ? 'has-warning' : '';
  return (
    <div className={`layer-node compact ${status} ${selected ? 'selected' : ''}`} style={{ ['--cat' as string]: color }}
      data-kind={node.kind} data-name={node.name} data-testid={`node-${node.name}`}>
      <header className="node-head"><span className="node-kind">{node.kind}</span><span className="node-name">{node.name}</span></header>
      <div className="node-ports">
        <div className="ports-in">{view.inputs.map((p) => <div key={p.name} className="port in"><Handle type="target" position={Position.Left} id={p.name} className="handle" /></div>)}</div>
        <div className="ports-out">{view.outputs.map((p) => <div key={p.name} className="port out"><Handle type="source" position={Position.Right} id={p.name} className="handle" /></div>)}</div>
      </div>
    </div>
  );
}

function NodeName({ node }: { node: GraphNode }) {
  const actions = useActions();
  return (
    <span className="node-name" title="Double-click (or F2) to rename"
      onDoubleClick={(e) => { e.stopPropagation(); actions.startRename(node.id); }}>{node.name}</span>
  );
}

function RenameField({ node }: { node: GraphNode }) {
  const actions = useActions();
  const [value, setValue] = useState(node.name);
  const [error, setError] = useState<string | null>(null);
  const commit = () => {
    const err = actions.rename(node.id, value);
    if (err) setError(err);
    else actions.startRename(null);
  };
  const onKey = (e: KeyboardEvent) => {
    e.stopPropagation();
    if (e.key === 'Enter') commit();
    if (e.key === 'Escape') actions.startRename(null);
  };
  return (
    <span className="rename nodrag">
      <input autoFocus aria-label={`Rename ${node.name}`} aria-invalid={!!error} value={value} spellCheck={false}
        onFocus={(e) => e.currentTarget.select()} onChange={(e) => { setValue(e.target.value); setError(null); }}
        onKeyDown={onKey} onBlur={() => { actions.rename(node.id, value); actions.startRename(null); }} />
      {error && <span className="rename-error" role="alert">{error}</span>}
    </span>
  );
}

function KeyParams({ names, params }: { names: readonly string[]; params: Params }) {
  if (!names.length) return null;
  return (
    <div className="node-keys">
      {names.map((k) => (
        <span key={k} className="chip"><span className="chip-k">{k}</span> {formatValue(params[k])}</span>
      ))}
    </div>
  );
}

function Toggle({ label, on, owner, onChange }: { label: string; on: boolean; owner: string; onChange: (v: boolean) => void }) {
  return (
    <label className={`toggle ${on ? 'on' : ''}`}>
      <input type="checkbox" role="switch" aria-label={`${label} of ${owner}`} checked={on} onChange={(e) => onChange(e.target.checked)} />
      <span className="toggle-track" aria-hidden><span className="toggle-knob" /></span>
      <span className="toggle-label">{label}</span>
    </label>
  );
}

/** The layer a wrapper holds: pick its kind, see its key parameters, flip its toggles. */
function Wrapped({ node, spec }: { node: GraphNode; spec: Extract<ParamSpec, { type: 'layer' }> }) {
  const actions = useActions();
  const inner = node.params[spec.name] as LayerValue;
  const def = getLayer(inner.kind);
  if (!def) return null;
  const full = { ...Object.fromEntries(def.params.map((p) => [p.name, p.default])), ...inner.params } as Params;
  const toggles = def.params.filter((p) => p.onNode && p.type === 'bool');
  return (
    <div className="node-inner nodrag" style={{ ['--cat' as string]: CATEGORY_COLOR[def.category] }}>
      <div className="inner-head">
        {spec.kinds.length > 1 ? (
          <select aria-label={`Wrapped layer of ${node.name}`} value={inner.kind}
            onChange={(e) => actions.setInnerKind(node.id, spec.name, e.target.value)}>
            {spec.kinds.map((k) => <option key={k} value={k}>{k}</option>)}
          </select>
        ) : <span className="inner-kind">{inner.kind}</span>}
        <KeyParams names={def.keyParams ?? []} params={full} />
      </div>
      {toggles.length > 0 && (
        <div className="node-toggles">
          {toggles.map((t) => (
            <Toggle key={t.name} label={t.name} on={full[t.name] === true} owner={node.name}
              onChange={(v) => actions.setInnerParams(node.id, spec.name, { [t.name]: v })} />
          ))}
        </div>
      )}
    </div>
  );
}

function ShapeTag({ port }: { port: PortView }) {
  if (!port.shape) return <span className="shape unknown" title="Shape unknown until the inputs are connected">?</span>;
  const t = port.tensor!;
  return (
    <span className={`shape ${t.masked ? 'masked' : ''}`} title={`${port.shape} ${t.dtype}${t.masked ? ', masked' : ''}`}>
      {port.shape}{t.dtype === 'int32' && <span className="dtype">int32</span>}{t.masked && <span className="mask-icon" aria-label="masked">◐</span>}
    </span>
  );
}

function Ports({ inputs, outputs }: { inputs: readonly PortView[]; outputs: readonly PortView[] }) {
  // Several inputs and several outputs (a Bidirectional with merge_mode None and return_state):
  // inputs above outputs, each label on its own row, rather than two columns sharing rows.
  const stacked = inputs.length > 1 && outputs.length > 1;
  return (
    <div className={`node-ports ${stacked ? 'stacked' : ''}`}>
      <div className="ports-in">
        {inputs.map((p) => (
          <div key={p.name} className={`port in ${p.optional ? 'optional' : ''} ${p.connected ? 'connected' : ''}`} title={p.help}>
            <Handle type="target" position={Position.Left} id={p.name} className="handle" aria-label={`input ${p.label}`} />
            <span className="port-label">{p.label}</span>
          </div>
        ))}
      </div>
      <div className="ports-out">
        {outputs.map((p) => (
          <div key={p.name} className="port out" title={p.help}>
            <span className="port-label">{p.label}</span>
            <ShapeTag port={p} />
            <Handle type="source" position={Position.Right} id={p.name} className="handle" aria-label={`output ${p.label}`} />
          </div>
        ))}
      </div>
    </div>
  );
}
