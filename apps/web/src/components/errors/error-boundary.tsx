import { Component, type ReactNode } from 'react';
import './error-boundary.css';

export interface ErrorBoundaryProps {
  children: ReactNode;
  /** What failed, in words for the person using the page, e.g. "The health card". */
  label: string;
  /** What "Try again" does; by default the part is rendered anew. */
  onRetry?: () => void;
}

interface ErrorBoundaryState {
  failed: boolean;
}

/** Keeps one part of the page from taking the rest down with it. */
export class ErrorBoundary extends Component<ErrorBoundaryProps, ErrorBoundaryState> {
  override state: ErrorBoundaryState = { failed: false };

  static getDerivedStateFromError(): ErrorBoundaryState {
    return { failed: true };
  }

  private readonly retry = () => {
    this.setState({ failed: false });
    this.props.onRetry?.();
  };

  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <div className="error-panel" role="alert">
        <p className="error-panel__title">{this.props.label} could not be shown.</p>
        <p className="error-panel__body">Something unexpected went wrong. Trying again usually helps.</p>
        <button className="button" type="button" onClick={this.retry}>
          Try again
        </button>
      </div>
    );
  }
}
