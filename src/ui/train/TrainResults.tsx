/**
 * The run's outcome column: what blocks training (graph errors, a dataset that does not fit), the
 * run's error kept until the next run (a NaN loss with the engine's advice, binding problems with a
 * pointer to "Fit model to data"), per-epoch results, test loss/accuracy and decoded predictions
 * (wrong ones marked), as the lesson prints them after `model.evaluate`.
 */
import type { Issue } from '../../core/types.ts';
import type { BindingProblem } from '../../data/bind.ts';
import type { RunError } from '../../store/trainStore.ts';
import { IssueList } from '../panels/IssueList.tsx';
import { useTrain } from './context.ts';
import { num, pct, splitBindingError } from './runView.ts';

const WHERE: Record<RunError['where'], string> = {
  binding: 'The model does not fit the dataset', compile: 'The model could not be compiled', data: 'The dataset could not be used',
  backend: 'No TF.js backend started', train: 'Training stopped', evaluate: 'Evaluation failed', worker: 'The training worker failed',
};

export function Blockers({ errors, binding, onPickIssue, onOpenData }: {
  errors: readonly Issue[]; binding: readonly BindingProblem[]; onPickIssue: (i: Issue) => void; onOpenData?: () => void;
}) {
  if (errors.length) {
    return (
      <section className="train-block" aria-label="Fix the issues first">
        <h3>Fix the issues first</h3>
        <p className="muted">The graph has {errors.length === 1 ? 'an error' : `${errors.length} errors`}; it trains once they are fixed.</p>
        <IssueList issues={errors} onPick={onPickIssue} />
      </section>
    );
  }
  if (binding.length) {
    return (
      <section className="train-block" aria-label="The model does not fit the dataset">
        <h3>The model does not fit the dataset</h3>
        <ul className="train-problems">{binding.map((p, k) => <li key={k}>{p.message}{p.fix && <span className="muted"> {p.fix}</span>}</li>)}</ul>
        <FitHint onOpenData={onOpenData} />
      </section>
    );
  }
  return null;
}

function FitHint({ onOpenData }: { onOpenData?: () => void }) {
  return (
    <p className="train-hint">
      Use <b>Fit model to data</b> in the Data tab to set these for you{onOpenData ? ' ' : '.'}
      {onOpenData && <button type="button" className="link-button" onClick={onOpenData} aria-label="Open the Data tab">Open the Data tab</button>}
    </p>
  );
}

export function RunErrorBox({ error, onOpenData }: { error: RunError; onOpenData?: () => void }) {
  const nan = error.where === 'train' && error.epoch !== undefined && /loss became/.test(error.message);
  const binding = error.where === 'binding' ? splitBindingError(error.message) : null;
  return (
    <section className="train-error" role="alert" aria-label="Training error">
      <h3>{nan ? 'The loss diverged' : WHERE[error.where]}</h3>
      {binding
        ? <>
            <p>{binding.intro}</p>
            <ul className="train-problems">{binding.problems.map((p, k) => <li key={k}>{p}</li>)}</ul>
            <FitHint onOpenData={onOpenData} />
          </>
        : <p className="train-error-text">{error.message}</p>}
      <p className="muted">The graph is unchanged.</p>
    </section>
  );
}

export function EpochTable() {
  const epochs = useTrain((s) => s.epochs);
  const classify = epochs.some((e) => e.accuracy !== undefined);
  if (!epochs.length) return null;
  return (
    <table className="train-table" aria-label="Epoch results">
      <thead><tr><th>Epoch</th><th className="num">loss</th>{classify && <th className="num">accuracy</th>}<th className="num">val_<wbr />loss</th>{classify && <th className="num">val_<wbr />accuracy</th>}<th className="num" title="seconds">s</th></tr></thead>
      <tbody>
        {epochs.map((e) => (
          <tr key={e.epoch}>
            <td>{e.epoch}</td><td className="num">{num(e.loss)}</td>{classify && <td className="num">{pct(e.accuracy)}</td>}
            <td className="num">{num(e.val_loss)}</td>{classify && <td className="num">{pct(e.val_accuracy)}</td>}<td className="num">{e.seconds.toFixed(1)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function TestResults() {
  const test = useTrain((s) => s.test);
  const predictions = useTrain((s) => s.predictions);
  const warnings = useTrain((s) => s.warnings);
  if (!test) return null;
  const wrong = predictions.filter((p) => p.correct === false).length;
  return (
    <>
      {warnings.map((w) => <p key={w} className="train-warning" role="alert">{w}</p>)}
      <div className="train-test" aria-label="Test results">
        <div className="metric"><span>Test loss</span><b aria-label="Test loss">{num(test.loss)}</b></div>
        {test.accuracy !== undefined && <div className="metric"><span>Test accuracy</span><b aria-label="Test accuracy">{pct(test.accuracy)}</b></div>}
      </div>
      {predictions.length > 0 && (
        <table className="train-table predictions" aria-label="Test predictions">
          <caption className="muted">First {predictions.length} test examples{wrong ? ` · ${wrong} wrong` : ''}</caption>
          <thead><tr><th>Input</th><th>True</th><th>Predicted</th></tr></thead>
          <tbody>
            {predictions.map((p, k) => (
              <tr key={k} className={p.correct === false ? 'wrong' : p.correct ? 'right' : ''}>
                <td className="pred-input" title={p.input}>{p.input}</td>
                <td>{p.truth}</td>
                <td>{p.correct === false && <span className="wrong-mark" aria-label="wrong">✕ </span>}{p.predicted}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
