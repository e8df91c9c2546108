/**
 * The Data tab of the bottom dock: pick a catalog dataset or upload a CSV (button, or drop a .csv
 * on the panel), map its columns and choose the split, see the histograms, the split sizes and
 * decoded examples, and fit the model to the data. State lives in the data store (context.ts);
 * the catalog choice is saved with the project (store/dataLink.ts). A chosen but unloaded catalog
 * dataset (a restored project) loads when this panel opens.
 */
import { useEffect, useMemo, useState, type DragEvent } from 'react';
import { CSV_ENTRY, confidenceBins, labelBars, lengthBins } from '../../store/index.ts';
import { BindingCard } from './BindingCard.tsx';
import { ClassChart, ConfidenceChart, LabelChart, LengthChart } from './Charts.tsx';
import { CsvMapping, CsvPreview } from './CsvColumns.tsx';
import { CsvSplit } from './CsvSplit.tsx';
import { AboutCard, ExamplesCard } from './DatasetCards.tsx';
import { useData, useDataStore } from './context.ts';
import { SourceBar } from './SourceBar.tsx';
import './data.css';

const isCsv = (f: File) => /\.(csv|tsv|txt)$/i.test(f.name) || f.type === 'text/csv';

export default function DataPanel({ onFocus }: { onFocus: (nodeId: string) => void }) {
  const data = useDataStore();
  const entry = useData((s) => s.entry);
  const status = useData((s) => s.status);
  const [over, setOver] = useState(false);
  const [dropError, setDropError] = useState<string | null>(null);

  useEffect(() => {
    if (status === 'idle' && entry && entry !== CSV_ENTRY) void data.getState().ensureLoaded();
  }, [data, entry, status]);

  const onDragOver = (e: DragEvent) => {
    if (!e.dataTransfer.types.includes('Files')) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    setOver(true);
  };
  const onDrop = (e: DragEvent) => {
    setOver(false);
    const f = e.dataTransfer.files?.[0];
    if (!f) return;
    e.preventDefault();
    e.stopPropagation();
    if (!isCsv(f)) return setDropError(`Drop a .csv file here (${f.name} is not one). Project files open when dropped on the canvas.`);
    setDropError(null);
    void data.getState().upload(f);
  };

  return (
    <section className={`data-panel ${over ? 'drop-over' : ''}`} onDragOver={onDragOver} onDragLeave={() => setOver(false)} onDrop={onDrop}
      aria-label="Data">
      <SourceBar />
      {dropError && <div className="data-problem" role="alert">{dropError}</div>}
      {entry === CSV_ENTRY ? <CsvBody onFocus={onFocus} /> : entry ? <CatalogBody onFocus={onFocus} /> : <EmptyState />}
    </section>
  );
}

function CsvBody({ onFocus }: { onFocus: (nodeId: string) => void }) {
  const table = useData((s) => s.table);
  const mapping = useData((s) => s.mapping);
  const report = useData((s) => s.report);
  const bars = useMemo(() => (table ? labelBars(table, mapping, report) : []), [table, mapping, report]);
  const bins = useMemo(() => (table ? confidenceBins(table, mapping) : []), [table, mapping]);
  if (!table) return null;
  return (
    <div className="data-grid">
      <CsvPreview />
      <CsvMapping />
      <CsvSplit />
      <section className="data-card" aria-label="Histograms">
        {bars.length > 0 ? <LabelChart bars={bars} /> : <p className="muted data-small">Map a label column to see its histogram.</p>}
        {bins.length > 0 && <ConfidenceChart bins={bins} threshold={mapping.threshold ?? 0.5} />}
      </section>
      <ExamplesCard />
      <BindingCard onFocus={onFocus} />
    </div>
  );
}

function CatalogBody({ onFocus }: { onFocus: (nodeId: string) => void }) {
  const ov = useData((s) => s.overview);
  const lengths = useMemo(() => lengthBins(ov?.lengths ?? []), [ov]);
  if (!ov) return null;
  return (
    <div className="data-grid">
      <AboutCard />
      <BindingCard onFocus={onFocus} />
      <section className="data-card" aria-label="Histograms">
        {ov.labels.length > 0 && <ClassChart labels={ov.labels} />}
        {lengths.length > 0 && <LengthChart bins={lengths} />}
      </section>
      <ExamplesCard />
    </div>
  );
}

function EmptyState() {
  return (
    <div className="data-empty">
      <p><b>Choose a dataset</b> above, or <b>drop a .csv file</b> here.</p>
      <p className="muted">
        A CSV needs a text column and a label column; an optional confidence column keeps only rows with confidence above a
        threshold. Rows are split 60/20/20 with a seed, and the vocabulary is learned from the training texts, as in the Keras lesson.
      </p>
    </div>
  );
}
