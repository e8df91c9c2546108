/**
 * Call the model without training, as the lesson does with `rnn_model(inputs)`: the graph runs on
 * a random input of its input shape (free axes get `steps` steps; token ids stay below the
 * Embedding's input_dim) or on a sample of the dataset, and every Output's shape and values are
 * shown — state outputs h and c included. Untrained graphs use fresh, seeded weights.
 */
import { useState } from 'react';
import type { CalledTensor } from '../../tf/train/workbench.ts';
import { useAsk } from './ask.ts';
import { useResults } from './context.ts';
import { ResultError, Toolbar, WeightsBadge } from './ResultsPanel.tsx';

/** Like Keras's tensor repr: tf.Tensor(shape=(1, 32), dtype=float32) [[…]] (first values). */
function repr(t: CalledTensor): string {
  const shown = t.values.slice(0, 12).map((v) => (t.dtype === 'int32' ? String(v) : v.toFixed(4))).join(', ');
  return `shape=(${t.shape.join(', ')}), dtype=${t.dtype}\n[${shown}${t.size > 12 ? `, … ${t.size - 12} more` : ''}]`;
}

export function CallView({ hasDataset }: { hasDataset: boolean }) {
  const slot = useResults((s) => s.call);
  const ask = useAsk();
  const [steps, setSteps] = useState(10);
  const [seed, setSeed] = useState(1);
  const r = slot.result;
  return (
    <div className="call">
      <Toolbar>
        <button type="button" onClick={() => ask({ op: 'call', input: 'random', seed, steps })} disabled={slot.pending} aria-label="Call on random input">Call on random input</button>
        {hasDataset && <button type="button" onClick={() => ask({ op: 'call', input: 'sample', seed, steps })} disabled={slot.pending} aria-label="Call on a test sample">Call on a test sample</button>}
        <label>free axes <input type="number" min={1} max={1000} value={steps} aria-label="Steps for free axes" onChange={(e) => setSteps(Math.max(1, Math.min(1000, Number(e.target.value) || 1)))} /> steps</label>
        <label>seed <input type="number" value={seed} aria-label="Input seed" onChange={(e) => setSeed(Math.trunc(Number(e.target.value) || 0))} /></label>
        <WeightsBadge weights={r?.weights} />
      </Toolbar>
      <p className="muted">Like the lesson's <code>inputs = keras.random.normal((1, 10, 2)); rnn_model(inputs)</code>: no dataset or training needed.</p>
      <ResultError error={slot.error} />
      {r && (
        <div className="call-result" aria-label="Call result">
          {r.inputs.map((t) => <div key={t.name} className="tensor"><b>{t.name}</b> <span className="muted">({r.input === 'random' ? 'random' : 'sample'} input)</span><pre>{repr(t)}</pre></div>)}
          {r.outputs.map((t) => <div key={t.name} className="tensor" aria-label={`Output ${t.name}`}><b>{t.name}</b> <span className="muted">← {t.from}</span><pre>{repr(t)}</pre></div>)}
        </div>
      )}
    </div>
  );
}
