/**
 * The Keras settings beyond the basics, folded under "More settings" in the Train panel: gradient
 * clipping (clipnorm / clipvalue / global_clipnorm), early stopping, the learning-rate schedule
 * and class weights. Each change goes through `setTraining` (the project schema validates it and
 * it is saved with the project); a value outside its range is outlined and not applied.
 */
import { useEffect, useState } from 'react';
import {
  earlyStoppingSchema, lrScheduleSchema, MONITORS, trainingSchema, type ClassWeight, type EarlyStopping, type TrainingSettings,
} from '../../core/project.ts';
import { useActions, useEditor } from '../context.ts';
import { NumberField } from './TrainSettings.tsx';
import './workbench.css';

const selectTraining = (s: { extras: { training: TrainingSettings } }) => s.extras.training;

type ClipKind = 'none' | 'clipnorm' | 'clipvalue' | 'global_clipnorm';

const CLIP_HELP: Record<ClipKind, string> = {
  none: 'Gradients as they are.',
  clipnorm: 'Each variable\'s gradient scaled down to this norm at most (Keras clipnorm: RNNs need it).',
  clipvalue: 'Every gradient value clipped to ± this value (Keras clipvalue).',
  global_clipnorm: 'All gradients scaled together so their joint norm is at most this (Keras global_clipnorm).',
};

const positive = (v: number) => v > 0 && Number.isFinite(v);

export function AdvancedSettings({ locked }: { locked: boolean }) {
  const t = useEditor(selectTraining);
  const { setTraining } = useActions();
  const clip: ClipKind = t.clipnorm !== null ? 'clipnorm' : t.clipvalue !== null ? 'clipvalue' : t.global_clipnorm !== null ? 'global_clipnorm' : 'none';
  const clipValue = t.clipnorm ?? t.clipvalue ?? t.global_clipnorm ?? 1;
  const setClip = (kind: ClipKind, value: number) =>
    setTraining({ clipnorm: kind === 'clipnorm' ? value : null, clipvalue: kind === 'clipvalue' ? value : null, global_clipnorm: kind === 'global_clipnorm' ? value : null });
  const es = t.early_stopping;
  const setEs = (patch: Partial<EarlyStopping> | null) => setTraining({ early_stopping: patch === null ? null : earlyStoppingSchema.parse({ ...(es ?? {}), ...patch }) });
  const lr = t.lr_schedule;
  const setLr = (next: Record<string, unknown>) => {
    const r = lrScheduleSchema.safeParse(next);
    if (r.success) setTraining({ lr_schedule: r.data });
  };
  // The fields exist only while open (a closed <details> still lays its content out for measuring).
  const [open, setOpen] = useState(false);
  const active = [clip !== 'none' && clip, es && 'early stopping', lr.kind !== 'constant' && lr.kind.replace(/_/g, ' '), t.class_weight !== null && 'class weights'].filter(Boolean);
  return (
    <details className="train-advanced" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>More settings{active.length ? <span className="muted"> · {active.join(', ')}</span> : null}</summary>
      {open && <fieldset className="train-settings" disabled={locked} aria-label="More training settings">
        <label className="train-field" title={CLIP_HELP[clip]}>
          <span>Gradient clipping</span>
          <select aria-label="Gradient clipping" value={clip} onChange={(e) => setClip(e.target.value as ClipKind, clipValue)}>
            <option value="none">none</option><option value="clipnorm">clipnorm</option>
            <option value="clipvalue">clipvalue</option><option value="global_clipnorm">global_clipnorm</option>
          </select>
        </label>
        {clip !== 'none'
          ? <NumberField label="Clip at" value={clipValue} step="any" range="> 0" check={positive} onValid={(v) => setClip(clip, v)} />
          : <span />}

        <label className="train-field train-check">
          <input type="checkbox" aria-label="Early stopping" checked={!!es} onChange={(e) => setEs(e.target.checked ? { monitor: 'val_loss', patience: 3, restore_best_weights: true } : null)} />
          <span>Early stopping</span>
        </label>
        {es ? <MonitorField label="Monitor" value={es.monitor} onChange={(monitor) => setEs({ monitor })} /> : <span />}
        {es && (
          <>
            <NumberField label="Patience" value={es.patience} step="1" range="a whole number ≥ 0" check={(v) => Number.isInteger(v) && v >= 0} onValid={(patience) => setEs({ patience })} />
            <NumberField label="Min delta" value={es.min_delta} step="any" range="≥ 0" check={(v) => v >= 0} onValid={(min_delta) => setEs({ min_delta })} />
            <label className="train-field train-check train-wide">
              <input type="checkbox" aria-label="Restore best weights" checked={es.restore_best_weights} onChange={(e) => setEs({ restore_best_weights: e.target.checked })} />
              <span>Restore the best epoch's weights</span>
            </label>
          </>
        )}

        <label className="train-field train-wide">
          <span>Learning rate schedule</span>
          <select aria-label="Learning rate schedule" value={lr.kind} onChange={(e) => setLr({ kind: e.target.value })}>
            <option value="constant">constant</option>
            <option value="exponential_decay">exponential decay (per step)</option>
            <option value="reduce_on_plateau">reduce on plateau (per epoch)</option>
          </select>
        </label>
        {lr.kind === 'exponential_decay' && (
          <>
            <NumberField label="Decay steps" value={lr.decay_steps} step="1" range="a whole number ≥ 1" check={(v) => Number.isInteger(v) && v >= 1} onValid={(decay_steps) => setLr({ ...lr, decay_steps })} />
            <NumberField label="Decay rate" value={lr.decay_rate} step="any" range="> 0, ≤ 1" check={(v) => v > 0 && v <= 1} onValid={(decay_rate) => setLr({ ...lr, decay_rate })} />
          </>
        )}
        {lr.kind === 'reduce_on_plateau' && (
          <>
            <MonitorField label="Plateau monitor" value={lr.monitor} onChange={(monitor) => setLr({ ...lr, monitor })} />
            <NumberField label="Factor" value={lr.factor} step="any" range="> 0, < 1" check={(v) => v > 0 && v < 1} onValid={(factor) => setLr({ ...lr, factor })} />
            <NumberField label="Plateau patience" value={lr.patience} step="1" range="a whole number ≥ 0" check={(v) => Number.isInteger(v) && v >= 0} onValid={(patience) => setLr({ ...lr, patience })} />
            <NumberField label="Min learning rate" value={lr.min_lr} step="any" range="≥ 0" check={(v) => v >= 0} onValid={(min_lr) => setLr({ ...lr, min_lr })} />
          </>
        )}

        <ClassWeightField value={t.class_weight} onChange={(class_weight) => setTraining({ class_weight })} />
      </fieldset>}
    </details>
  );
}

function MonitorField({ label, value, onChange }: { label: string; value: (typeof MONITORS)[number]; onChange: (m: (typeof MONITORS)[number]) => void }) {
  return (
    <label className="train-field">
      <span>{label}</span>
      <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value as (typeof MONITORS)[number])}>
        {MONITORS.map((m) => <option key={m} value={m}>{m}</option>)}
      </select>
    </label>
  );
}

/** "0: 1, 1: 2.5" ↔ {"0": 1, "1": 2.5}; null when it does not parse. */
export function parseClassWeights(text: string): Record<string, number> | null {
  const out: Record<string, number> = {};
  const parts = text.split(',').map((p) => p.trim()).filter(Boolean);
  if (!parts.length) return null;
  for (const p of parts) {
    const m = /^(\d+)\s*:\s*([0-9]*\.?[0-9]+(?:e[-+]?\d+)?)$/i.exec(p);
    if (!m) return null;
    out[String(Number(m[1]))] = Number(m[2]);
  }
  return out;
}

const weightsText = (cw: ClassWeight | null) => (cw && cw !== 'balanced' ? Object.entries(cw).map(([k, v]) => `${k}: ${v}`).join(', ') : '');

function ClassWeightField({ value, onChange }: { value: ClassWeight | null; onChange: (cw: ClassWeight | null) => void }) {
  const kind = value === null ? 'none' : value === 'balanced' ? 'balanced' : 'custom';
  const [text, setText] = useState(weightsText(value));
  useEffect(() => setText(weightsText(value)), [value]);
  const parsed = parseClassWeights(text);
  const schemaOk = parsed !== null && trainingSchema.shape.class_weight.safeParse(parsed).success;
  return (
    <>
      <label className="train-field" title="Keras class_weight: the loss of each example is weighted by its class (balanced: n / (classes × count)).">
        <span>Class weights</span>
        <select aria-label="Class weights" value={kind} onChange={(e) => onChange(e.target.value === 'none' ? null : e.target.value === 'balanced' ? 'balanced' : parseClassWeights(text) ?? { '0': 1 })}>
          <option value="none">none</option><option value="balanced">balanced</option><option value="custom">per class…</option>
        </select>
      </label>
      {kind === 'custom'
        ? (
          <label className={`train-field ${schemaOk ? '' : 'invalid'}`}>
            <span>class: weight</span>
            <input aria-label="Class weight values" value={text} placeholder="0: 1, 1: 2.5" aria-invalid={!schemaOk} title="class id: weight, separated by commas"
              onChange={(e) => {
                setText(e.target.value);
                const p = parseClassWeights(e.target.value);
                if (p) onChange(p);
              }} />
          </label>
        )
        : <span />}
    </>
  );
}
