/**
 * ‖∂L/∂h_t‖ over the steps t, on a log scale: one line per curve, the newest drawn strongest. The
 * gradients-through-time view feeds it the samples of a run; the experiment one curve per model.
 * Drawn on a canvas (LineCanvas.tsx): it redraws at every gradient sample while a model trains.
 */
import { memo } from 'react';
import { LineCanvas } from './LineCanvas.tsx';

export interface Curve {
  readonly key: string;
  readonly name: string;
  readonly color: string;
  /** ‖∂L/∂h_t‖ per step (null: every example padded there). */
  readonly values: readonly (number | null)[];
  readonly width?: number;
  readonly opacity?: number;
}

export const GradientChart = memo(function GradientChart({ curves, label, height = 200, legend = false }: { curves: readonly Curve[]; label: string; height?: number; legend?: boolean }) {
  const steps = Math.max(0, ...curves.map((c) => c.values.length));
  return (
    <figure className="gradient-chart" aria-label={label} data-curves={curves.length} data-steps={steps}>
      <LineCanvas series={curves} log height={height} xLabel="step t" legend={legend} />
    </figure>
  );
});
