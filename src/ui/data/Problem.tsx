/** A data problem shown where it happened (file, mapping, split, catalog), read out when it appears. */
import type { DataProblem } from '../../store/index.ts';

const TITLES: Record<DataProblem['where'], string> = {
  file: 'This file cannot be used',
  mapping: 'Check the columns',
  split: 'Check the split',
  catalog: 'The dataset did not load',
};

export function Problem({ problem }: { problem: DataProblem }) {
  // Choosing the columns is the next step, not a failure.
  const hint = problem.code === 'invalid-mapping' && problem.message.startsWith('Choose');
  return (
    <div className={`data-problem ${hint ? 'hint' : ''}`} role="alert">
      {!hint && <b>{TITLES[problem.where]}: </b>}{problem.message}
    </div>
  );
}
