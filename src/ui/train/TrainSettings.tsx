/**
 * Training settings bound to the document's `extras.training` (saved with the project) through the
 * editor store's `setTraining`. Number fields keep what is typed until it is a valid value (the
 * project schema decides); an invalid entry is outlined and says its range. Locked during a run.
 */
import { useEffect, useState } from 'react';
import { trainingSchema, type TrainingSettings } from '../../core/project.ts';
import { useActions, useEditor } from '../context.ts';

const OPTIMIZERS = trainingSchema.shape.optimizer.removeDefault().options;
const BACKENDS: { id: TrainingSettings['backend']; label: string }[] = [
  { id: 'auto', label: 'auto' },
  { id: 'webgl', label: 'webgl' },
  { id: 'wasm', label: 'wasm' },
  { id: 'cpu', label: 'cpu' },
];

type NumberKey = 'learning_rate' | 'batch_size' | 'epochs' | 'seed';

const NUMBERS: { key: NumberKey; label: string; step: string; range: string }[] = [
  { key: 'learning_rate', label: 'Learning rate', step: 'any', range: '> 0, ≤ 10' },
  { key: 'batch_size', label: 'Batch size', step: '1', range: '1–4096' },
  { key: 'epochs', label: 'Epochs', step: '1', range: '1–10000' },
  { key: 'seed', label: 'Seed', step: '1', range: 'an integer' },
];

const selectTraining = (s: { extras: { training: TrainingSettings } }) => s.extras.training;

export function TrainSettings({ locked }: { locked: boolean }) {
  const training = useEditor(selectTraining);
  const { setTraining } = useActions();
  return (
    <fieldset className="train-settings" disabled={locked} aria-label="Training settings">
      <label className="train-field">
        <span>Optimizer</span>
        <select value={training.optimizer} aria-label="Optimizer"
          onChange={(e) => setTraining({ optimizer: e.target.value as TrainingSettings['optimizer'] })}>
          {OPTIMIZERS.map((o) => <option key={o} value={o}>{o}</option>)}
        </select>
      </label>
      {NUMBERS.map((f) => (
        <NumberField key={f.key} label={f.label} step={f.step} range={f.range} value={training[f.key]}
          onValid={(v) => setTraining({ [f.key]: v })} check={(v) => trainingSchema.shape[f.key].safeParse(v).success} />
      ))}
      <label className="train-field">
        <span>Backend</span>
        <select value={training.backend} aria-label="Backend" title="auto: WebGL on a hardware GPU, else wasm (fastest on the CPU)"
          onChange={(e) => setTraining({ backend: e.target.value as TrainingSettings['backend'] })}>
          {BACKENDS.map((b) => <option key={b.id} value={b.id}>{b.label}</option>)}
        </select>
      </label>
    </fieldset>
  );
}

export function NumberField({ label, value, step, range, onValid, check }: {
  label: string; value: number; step: string; range: string; onValid: (v: number) => void; check: (v: number) => boolean;
}) {
  const [text, setText] = useState(String(value));
  // Follow the document (project opened, undo elsewhere) unless the field holds the same number.
  useEffect(() => setText((t) => (Number(t) === value && t.trim() !== '' ? t : String(value))), [value]);
  const n = Number(text);
  const valid = text.trim() !== '' && Number.isFinite(n) && check(n);
  return (
    <label className={`train-field ${valid ? '' : 'invalid'}`}>
      <span>{label}</span>
      <input type="number" inputMode="decimal" step={step} value={text} aria-label={label} aria-invalid={!valid}
        title={valid ? undefined : `${label}: ${range}`}
        onChange={(e) => {
          setText(e.target.value);
          const v = Number(e.target.value);
          if (e.target.value.trim() !== '' && Number.isFinite(v) && check(v)) onValid(v);
        }}
        onBlur={() => { if (!valid) setText(String(value)); }} />
    </label>
  );
}
