/**
 * One render error never blanks the app: each region (canvas, palette, inspector, dock) and the
 * whole frame sit in an error boundary. A region that fails shows what failed and a "Try again"
 * button, and tries again by itself when `resetKey` changes (the document changed); the rest keeps
 * working. The frame's fallback (`AppFallback`) offers to download the document and to open an
 * empty project, so the work is never lost to a rendering bug.
 */
import { Component, type ErrorInfo, type ReactNode } from 'react';

interface Props {
  /** What the region is, for the message ("the canvas"). */
  readonly name: string;
  readonly children: ReactNode;
  /** When this changes, a failed region renders again. */
  readonly resetKey?: unknown;
  /** Replaces the default message. */
  readonly fallback?: (error: Error, reset: () => void) => ReactNode;
}

interface State {
  readonly error: Error | null;
  readonly key: unknown;
}

export class ErrorBoundary extends Component<Props, State> {
  state: State = { error: null, key: this.props.resetKey };

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    return props.resetKey !== state.key ? { key: props.resetKey, error: null } : null;
  }

  componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error(`Unroll: ${this.props.name} failed to render`, error, info.componentStack);
  }

  reset = () => this.setState({ error: null });

  render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    if (this.props.fallback) return this.props.fallback(error, this.reset);
    return (
      <div className="region-error" role="alert">
        <p><b>{cap(this.props.name)} could not be shown.</b> {short(error.message)}</p>
        <p className="muted">The rest of the editor still works, and your project is kept.</p>
        <button type="button" onClick={this.reset}>Try again</button>
      </div>
    );
  }
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** At most 300 characters of a message. */
export function short(s: string): string {
  return s.length > 300 ? `${s.slice(0, 300)}…` : s;
}
