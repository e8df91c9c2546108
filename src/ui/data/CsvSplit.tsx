/**
 * How an uploaded CSV becomes training data: the seeded (optionally stratified) train/val/test
 * split, TextVectorization's max_tokens, HTML-entity decoding, and what the filters kept and
 * skipped (counts from the data layer's extract report).
 */
import type { SplitFractions } from '../../data/split.ts';
import type { CsvSplitOptions } from '../../store/index.ts';
import { useData, useDataStore } from './context.ts';
import { Problem } from './Problem.tsx';

function NumberInput({ label, value, onChange, min, max, step = 1, suffix }: {
  label: string; value: number; onChange: (v: number) => void; min?: number; max?: number; step?: number; suffix?: string;
}) {
  return (
    <label className="map-field num">
      <span>{label}</span>
      <span className="with-suffix">
        <input type="number" aria-label={label} value={value} min={min} max={max} step={step}
          onChange={(e) => { if (Number.isFinite(e.target.valueAsNumber)) onChange(e.target.valueAsNumber); }} />
        {suffix && <span className="muted">{suffix}</span>}
      </span>
    </label>
  );
}

export function CsvSplit() {
  const data = useDataStore();
  const split = useData((s) => s.split);
  const error = useData((s) => s.error);
  const table = useData((s) => s.table);
  if (!table) return null;
  const set = (patch: Partial<CsvSplitOptions>) => data.getState().setSplit(patch);
  const setFraction = (k: keyof SplitFractions, pct: number) => set({ fractions: { ...split.fractions, [k]: pct / 100 } });
  const pct = (k: keyof SplitFractions) => Math.round(split.fractions[k] * 1000) / 10;
  return (
    <section className="data-card" aria-label="Split">
      <h3>Split &amp; vocabulary</h3>
      <div className="map-grid split-grid">
        <NumberInput label="Train" value={pct('train')} min={0} max={100} suffix="%" onChange={(v) => setFraction('train', v)} />
        <NumberInput label="Validation" value={pct('val')} min={0} max={100} suffix="%" onChange={(v) => setFraction('val', v)} />
        <NumberInput label="Test" value={pct('test')} min={0} max={100} suffix="%" onChange={(v) => setFraction('test', v)} />
        <NumberInput label="Seed" value={split.seed} step={1} onChange={(v) => set({ seed: Math.trunc(v) })} />
        <NumberInput label="max_tokens" value={split.maxTokens} min={3} step={100} onChange={(v) => set({ maxTokens: Math.max(3, Math.trunc(v)) })} />
      </div>
      <div className="checks">
        <label><input type="checkbox" checked={split.stratify} onChange={(e) => set({ stratify: e.target.checked })} aria-label="Stratified split" /> Stratified by label</label>
        <label><input type="checkbox" checked={split.decodeEntities} onChange={(e) => set({ decodeEntities: e.target.checked })} aria-label="Decode HTML entities" /> Decode <code>&amp;amp;</code> and other entities</label>
      </div>
      {error?.where === 'split' && <Problem problem={error} />}
      <RowCounts />
      <VocabularySize maxTokens={split.maxTokens} />
    </section>
  );
}

/** The vocabulary TextVectorization adapted on the training texts (what Embedding's input_dim must cover). */
function VocabularySize({ maxTokens }: { maxTokens: number }) {
  const vocabulary = useData((s) => s.dataset?.inputs.vocabulary);
  if (!vocabulary) return null;
  const n = vocabulary.length;
  return (
    <p className="vocab-size" aria-label="Vocabulary size">
      Vocabulary: <b>{n.toLocaleString('en-US')}</b> tokens{n >= maxTokens ? ` (capped by max_tokens ${maxTokens.toLocaleString('en-US')})` : ''}, including the padding id 0 and <code>[UNK]</code>
    </p>
  );
}

/** Kept and skipped rows, in words (rare reasons only when they happened). */
function RowCounts() {
  const report = useData((s) => s.report);
  const threshold = useData((s) => s.mapping.threshold ?? 0.5);
  const hasConfidence = useData((s) => !!s.mapping.confidence);
  if (!report) return null;
  const items: { n: number; what: string; kind: string; always: boolean }[] = [
    { n: report.totalRows, what: 'rows', kind: '', always: true },
    { n: report.kept, what: 'kept', kind: 'kept', always: true },
    { n: report.unlabelled, what: 'unlabelled', kind: 'skipped', always: true },
    { n: report.belowThreshold, what: `at or below ${threshold}`, kind: 'skipped', always: hasConfidence },
    { n: report.emptyText, what: 'empty text', kind: 'skipped', always: false },
    { n: report.invalidConfidence, what: 'confidence not a number', kind: 'skipped', always: false },
  ];
  return (
    <ul className="row-counts" aria-label="Row counts">
      {items.filter((i) => i.always || i.n > 0).map((i) => (
        <li key={i.what} className={i.kind}><b>{i.n.toLocaleString('en-US')}</b> {i.what}</li>
      ))}
    </ul>
  );
}
