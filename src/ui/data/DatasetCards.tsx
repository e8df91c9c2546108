/**
 * What a loaded dataset is (name, task pattern, source, licence) and a few training examples
 * decoded back to text (token ids → words, class ids → label names; data layer's overview).
 */
import { datasetEntry } from '../../data/catalog.ts';
import { TASK_PATTERNS } from '../../data/tasks.ts';
import { useData } from './context.ts';

export function AboutCard() {
  const dataset = useData((s) => s.dataset);
  const entry = useData((s) => s.entry);
  if (!dataset) return null;
  const origin = entry ? datasetEntry(entry)?.origin : undefined;
  return (
    <section className="data-card" aria-label="About the dataset">
      <h3>{dataset.name}</h3>
      <p className="data-pattern">{TASK_PATTERNS[dataset.task]} · {dataset.task}{origin ? ` · ${origin}` : ''}</p>
      <p className="data-desc">{dataset.description}</p>
      <dl className="data-facts">
        {dataset.inputs.vocabulary && <div><dt>Vocabulary</dt><dd>{dataset.inputs.vocabulary.length.toLocaleString('en-US')} tokens</dd></div>}
        {dataset.numClasses !== undefined && <div><dt>Classes</dt><dd>{dataset.numClasses}</dd></div>}
        <div><dt>Source</dt><dd>{/^https?:/.test(dataset.source) ? <a href={dataset.source} target="_blank" rel="noreferrer">{dataset.source}</a> : dataset.source}</dd></div>
        <div><dt>Licence</dt><dd>{dataset.licence}</dd></div>
      </dl>
    </section>
  );
}

export function ExamplesCard() {
  const preview = useData((s) => s.overview?.preview);
  // Token ids are shown as the words they stand for; numbers (a series, features) as they are.
  const tokens = useData((s) => !!s.dataset?.inputs.vocabulary);
  if (!preview?.length) return null;
  return (
    <section className="data-card wide" aria-label="Examples">
      <h3>Examples <span className="muted">· training split{tokens ? ', decoded from token ids' : ''}</span></h3>
      <table className="examples" aria-label={tokens ? 'Decoded examples' : 'Examples'}>
        <thead><tr><th>{tokens ? 'Input (decoded tokens)' : 'Input (values)'}</th><th>Target</th></tr></thead>
        <tbody>
          {preview.map((r, k) => (
            <tr key={k}><td title={r.input}>{r.input}</td><td title={r.target}><span className="target">{r.target}</span></td></tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
