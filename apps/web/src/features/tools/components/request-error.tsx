import { ErrorAlert } from '../../../components/ui/error-alert';
import { ApiError } from '../../../lib/api-error';

/** An API failure in words where it happened, with the request id in small print for support. */
export function RequestError({ error, context }: { error: unknown; context: string }) {
  const requestId = error instanceof ApiError ? error.requestId : undefined;
  return (
    <div className="request-error">
      <ErrorAlert error={error} context={context} />
      {requestId ? (
        <p className="request-error__id muted">
          Request id: <span className="mono">{requestId}</span>
        </p>
      ) : null}
    </div>
  );
}
