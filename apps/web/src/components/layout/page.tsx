import type { ReactNode } from 'react';
import { ErrorBoundary } from '../errors/error-boundary';

/** A workspace page other than chat: its heading, one line on what it is for, then the content. */
export function Page({ title, lead, children }: { title: string; lead: string; children: ReactNode }) {
  return (
    <div className="page">
      <div className="section-intro">
        <h1>{title}</h1>
        <p>{lead}</p>
      </div>
      <ErrorBoundary label={`The ${title} page`}>{children}</ErrorBoundary>
    </div>
  );
}
