import { ErrorAlert } from '../../../components/ui/error-alert';
import { ApiError } from '../../../lib/api-error';

/** An API failure where it happened, with the request id in small print for support. */
export function RequestError({ error, context }: { error: unknown; context: string }) {
  const requestId = error instanceof ApiError ? error.requestId : undefined;
  return (
    <div className="audit-error">
      <ErrorAlert error={error} context={context} />
      {requestId !== undefined && (
        <p className="audit-error__request-id">
          Request id <span className="mono">{requestId}</span>
        </p>
      )}
    </div>
  );
}
