/**
 * Decode an encoder–decoder model for real: the encoder reads the source once and hands its
 * states to the decoder, which then runs on its own predictions (free-running), greedy or with a
 * beam of width k — the lesson's inference models — next to the truth and the teacher-forced
 * prediction. "Free-running accuracy" decodes many test examples and compares with teacher forcing.
 */
import { useContext, useEffect, useState } from 'react';
import { DataContext } from '../data/context.ts';
import type { TaskKind } from '../../data/tasks.ts';
import { useDataPanelDataset } from '../train/useDataPanel.ts';
import { useAsk } from './ask.ts';
import { useResults } from './context.ts';
import { ResultError, Toolbar, WeightsBadge } from './ResultsPanel.tsx';
import { TokenChips } from './TryView.tsx';

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

export function DecodeView({ task }: { task: TaskKind | undefined }) {
  const slot = useResults((s) => s.decode);
  const evalSlot = useResults((s) => s['decode-eval']);
  const ask = useAsk();
  const panel = useDataPanelDataset();
  const data = useContext(DataContext);
  // Test examples to pick from: the Data panel loads the project's dataset (once).
  useEffect(() => { void data?.getState().ensureLoaded(); }, [data]);
  const test = panel.dataset?.test ?? [];
  const [text, setText] = useState('');
  const [index, setIndex] = useState(0);
  const [beam, setBeam] = useState(3);
  const [count, setCount] = useState(50);
  const r = slot.result;
  const decodeExample = (k: number) => {
    const e = test[k];
    if (e) ask({ op: 'decode', example: e, beam });
  };
  return (
    <div className="decode">
      <Toolbar>
        <label>Beam width <select aria-label="Beam width" value={beam} onChange={(e) => setBeam(Number(e.target.value))}>
          {[1, 2, 3, 4, 5, 8].map((k) => <option key={k} value={k}>{k === 1 ? '1 (greedy)' : k}</option>)}
        </select></label>
        {test.length > 0 && (
          <>
            <button type="button" onClick={() => decodeExample(index)} disabled={slot.pending} aria-label="Decode a test example">Decode test example</button>
            <label># <input type="number" min={1} max={test.length} value={index + 1} aria-label="Test example" onChange={(e) => setIndex(Math.max(0, Math.min(test.length - 1, (Number(e.target.value) || 1) - 1)))} /></label>
            <button type="button" onClick={() => { const k = (index + 1) % test.length; setIndex(k); decodeExample(k); }} disabled={slot.pending} aria-label="Next example">Next ›</button>
          </>
        )}
        {task !== 'vector-to-sequence' && (
          <label>or type <input aria-label="Source to decode" value={text} placeholder="a source sequence" onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => e.key === 'Enter' && text.trim() && ask({ op: 'decode', text, beam })} /></label>
        )}
        {task !== 'vector-to-sequence' && <button type="button" onClick={() => ask({ op: 'decode', text, beam })} disabled={slot.pending || !text.trim()} aria-label="Decode the typed source">Decode</button>}
        <WeightsBadge weights={r?.weights ?? evalSlot.result?.weights} />
      </Toolbar>
      <ResultError error={slot.error} />
      {r && (
        <div className="decoded" aria-label="Decoded">
          <p><span className="muted">source</span> {r.tokens.length ? <TokenChips tokens={r.tokens} /> : <code>{r.input}</code>}</p>
          {r.note && <p className="muted">{r.note}</p>}
          <p className="muted">encoder states handed to the decoder: {r.states.map((s) => <code key={s.name} title={s.values.map((v) => v.toFixed(3)).join(', ')}>{s.name} ({s.size})</code>)}</p>
          <table className="train-table">
            <tbody>
              {r.truth !== undefined && <tr><th>truth</th><td aria-label="Truth">{r.truth}</td><td /></tr>}
              <tr><th>greedy</th><td aria-label="Greedy decoding">{r.greedy.text}</td><td className="num muted">log p {r.greedy.logProb.toFixed(2)}</td></tr>
              {r.beams.map((b, k) => <tr key={k}><th>beam {k + 1}</th><td aria-label={`Beam ${k + 1}`}>{b.text}</td><td className="num muted">log p {b.logProb.toFixed(2)}</td></tr>)}
              {r.teacherForced !== undefined && <tr><th>teacher-forced</th><td aria-label="Teacher-forced">{r.teacherForced}</td><td className="muted">each step fed the true previous token</td></tr>}
            </tbody>
          </table>
        </div>
      )}
      <div className="decode-eval">
        <Toolbar>
          <button type="button" onClick={() => ask({ op: 'decode-eval', count, beam })} disabled={evalSlot.pending} aria-label="Free-running accuracy">
            {evalSlot.pending ? 'Decoding…' : 'Free-running accuracy'}</button>
          <label>on <input type="number" min={1} max={500} value={count} aria-label="Examples to decode" onChange={(e) => setCount(Math.max(1, Math.min(500, Number(e.target.value) || 1)))} /> test examples</label>
        </Toolbar>
        <ResultError error={evalSlot.error} />
        {evalSlot.result && (
          <table className="train-table" aria-label="Free-running against teacher-forced accuracy">
            <thead><tr><th>{evalSlot.result.count} test examples</th><th className="num">sequences exactly right</th><th className="num">tokens right</th></tr></thead>
            <tbody>
              <tr><td>free-running, greedy</td><td className="num">{pct(evalSlot.result.greedy.exact)}</td><td className="num">{pct(evalSlot.result.greedy.tokens)}</td></tr>
              {evalSlot.result.beamResult && <tr><td>free-running, beam {evalSlot.result.beam}</td><td className="num">{pct(evalSlot.result.beamResult.exact)}</td><td className="num">{pct(evalSlot.result.beamResult.tokens)}</td></tr>}
              <tr><td>teacher-forced</td><td className="num">{pct(evalSlot.result.teacherForced.exact)}</td><td className="num">{pct(evalSlot.result.teacherForced.tokens)}</td></tr>
            </tbody>
          </table>
        )}
      </div>
    </div>
  );
}
