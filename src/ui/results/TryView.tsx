/**
 * Try it: type a sentence (or a sequence of numbers, or pick a test example) and see the output as
 * you type — the tokens the dataset's vectorizer made of it, [UNK] for words it never saw, then
 * the class probabilities, the tag of every word, the next-token distribution, the decoded
 * sequence or the predicted values. Requests go to the worker 150 ms after the last keystroke.
 */
import { useContext, useEffect, useState } from 'react';
import type { TaskKind } from '../../data/tasks.ts';
import type { TypedToken } from '../../data/tokenize.ts';
import { DataContext } from '../data/context.ts';
import { useDataPanelDataset } from '../train/useDataPanel.ts';
import { useAsk, useModelKey } from './ask.ts';
import { useResults } from './context.ts';
import { ResultError, WeightsBadge } from './ResultsPanel.tsx';

const DEBOUNCE_MS = 150;

const PLACEHOLDER: Partial<Record<TaskKind, string>> = {
  'sequence-classification': '@united the flight was great, thank you!',
  'sequence-labelling': 'the dog saw a light',
  'language-model': 'ma',
  seq2seq: 'abc',
  'sequence-regression': '0.1, 0.4, 0.8, 0.9, 0.7',
  'vector-to-sequence': '0, 0, 1, 0, 0, 0, 0, 0, 0, 0',
};

export function TokenChips({ tokens }: { tokens: readonly TypedToken[] }) {
  return (
    <span className="tokens" aria-label="Tokens">
      {tokens.map((t, k) => (
        <span key={k} className={`token ${t.unknown ? 'unk' : ''} ${t.added ? 'added' : ''}`} title={t.unknown ? (t.id === 1 ? 'not in the vocabulary: [UNK] (id 1)' : 'not in the vocabulary: left out') : `id ${t.id}`}>
          {t.unknown && t.id === 1 ? <>[UNK] <s>{t.token}</s></> : t.token || '␣'}
          <small>{t.id >= 0 ? t.id : '–'}</small>
        </span>
      ))}
    </span>
  );
}

export function TryView({ task }: { task: TaskKind | undefined }) {
  const slot = useResults((s) => s.try);
  const ask = useAsk();
  const [text, setText] = useState('');
  const panel = useDataPanelDataset();
  const data = useContext(DataContext);
  useEffect(() => { void data?.getState().ensureLoaded(); }, [data]);
  const test = panel.dataset?.test ?? [];
  // As you type, and again when the model changes (an edit, another project, restored weights).
  const model = useModelKey();
  useEffect(() => {
    if (!text.trim()) return;
    const t = setTimeout(() => ask({ op: 'try', text }), DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [text, ask, model]);
  const r = slot.result;
  const pick = () => {
    const e = test[Math.floor(Math.random() * test.length)];
    if (e) ask({ op: 'try', example: e });
  };
  return (
    <div className="try">
      <div className="try-input">
        <textarea aria-label="Try it input" rows={2} value={text} placeholder={PLACEHOLDER[task ?? 'sequence-classification'] ?? ''} onChange={(e) => setText(e.target.value)} />
        <div className="try-side">
          {test.length > 0 && <button type="button" onClick={pick} aria-label="Pick a test example">Pick a test example</button>}
          <WeightsBadge weights={r?.weights} />
          {slot.pending && <span className="muted">…</span>}
        </div>
      </div>
      <ResultError error={slot.error} />
      {r && (
        <div className="try-output" aria-label="Try it output">
          {r.tokens.length > 0 && <p><span className="muted">tokens</span> <TokenChips tokens={r.tokens} /></p>}
          {r.note && <p className="muted">{r.note}</p>}
          {r.classes && (
            <ul className="class-bars" aria-label="Class probabilities">
              {r.classes.map((c) => (
                <li key={c.label}><span className="bar-label">{c.label}</span><span className="bar" style={{ ['--w' as string]: String(c.p) }} /><b>{(c.p * 100).toFixed(1)}%</b></li>
              ))}
            </ul>
          )}
          {r.tags && (
            <p className="tag-row" aria-label="Predicted tags">
              {r.tags.map((t, k) => <span key={k} className="tag-token" title={`p ${t.p.toFixed(2)}`}>{t.token}<small>{t.tag}</small></span>)}
            </p>
          )}
          {r.next && (
            <ul className="class-bars" aria-label="Next token">
              {r.next.map((c) => (
                <li key={c.token}><span className="bar-label">{c.token === '' ? '(pad)' : c.token}</span><span className="bar" style={{ ['--w' as string]: String(c.p) }} /><b>{(c.p * 100).toFixed(1)}%</b></li>
              ))}
            </ul>
          )}
          {r.decoded !== undefined && <p><span className="muted">decoded (greedy, free-running)</span> <b aria-label="Decoded">{r.decoded}</b></p>}
          {r.sequence !== undefined && <p><span className="muted">generated</span> <b aria-label="Generated sequence">{r.sequence}</b></p>}
          {r.values && <p><span className="muted">predicted</span> <b aria-label="Predicted values">{r.values.map((v) => v.toFixed(4)).join(', ')}</b></p>}
        </div>
      )}
    </div>
  );
}
