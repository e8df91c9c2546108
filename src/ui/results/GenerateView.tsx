/**
 * Sample from a next-token model: a prompt, a temperature (0 = greedy: always the most likely
 * token; below 1 safer, above 1 wilder), how many samples and a seed (the same seed draws the same
 * samples). The prompt's tokens are shown as the vectorizer made them.
 */
import { useState } from 'react';
import { useAsk } from './ask.ts';
import { useResults } from './context.ts';
import { ResultError, Toolbar, WeightsBadge } from './ResultsPanel.tsx';
import { TokenChips } from './TryView.tsx';

export function GenerateView() {
  const slot = useResults((s) => s.generate);
  const ask = useAsk();
  const [prompt, setPrompt] = useState('');
  const [temperature, setTemperature] = useState(1);
  const [count, setCount] = useState(5);
  const [seed, setSeed] = useState(1);
  const [length, setLength] = useState(20);
  const r = slot.result;
  const go = () => ask({ op: 'generate', prompt, temperature, maxLength: length, seed, count });
  return (
    <div className="generate">
      <Toolbar>
        <label>Prompt <input aria-label="Prompt" value={prompt} placeholder="(from the start)" onChange={(e) => setPrompt(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && go()} /></label>
        <label className="temperature">Temperature <input type="range" min={0} max={2} step={0.1} value={temperature} aria-label="Temperature"
          onChange={(e) => setTemperature(Number(e.target.value))} /> <b aria-label="Temperature value">{temperature.toFixed(1)}</b>{temperature === 0 && <span className="muted"> greedy</span>}</label>
        <label>Samples <input type="number" min={1} max={20} value={count} aria-label="Samples" onChange={(e) => setCount(Math.max(1, Math.min(20, Number(e.target.value) || 1)))} /></label>
        <label>Max length <input type="number" min={1} max={400} value={length} aria-label="Max length" onChange={(e) => setLength(Math.max(1, Math.min(400, Number(e.target.value) || 1)))} /></label>
        <label>Seed <input type="number" value={seed} aria-label="Sampling seed" onChange={(e) => setSeed(Math.trunc(Number(e.target.value) || 0))} /></label>
        <button type="button" onClick={go} disabled={slot.pending} aria-label="Sample">{slot.pending ? 'Sampling…' : 'Sample'}</button>
        <WeightsBadge weights={r?.weights} />
      </Toolbar>
      <ResultError error={slot.error} />
      {r && (
        <>
          {r.prompt.length > 0 && <p className="muted">Prompt as tokens: <TokenChips tokens={r.prompt} /></p>}
          {r.note && <p className="muted">{r.note}</p>}
          <ol className="samples" aria-label={`Samples at temperature ${r.temperature}`} data-temperature={r.temperature}>
            {r.samples.map((s) => <li key={s.seed}><span className="sample-text">{s.text}</span>{!s.ended && <span className="muted"> … (max length)</span>}</li>)}
          </ol>
        </>
      )}
    </div>
  );
}
