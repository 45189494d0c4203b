import { ApiError, errorMessage } from '../../lib/api-error';

export interface ErrorAlertProps {
  error: unknown;
  /** Said before the server's message, e.g. "Could not create the key". */
  context?: string;
  id?: string;
}

/** An API failure in words, with the server's list of problems when it sent one (422). */
export function ErrorAlert({ error, context, id }: ErrorAlertProps) {
  const details = error instanceof ApiError ? error.details : [];
  const message = errorMessage(error);
  // With a list of problems, the list says it all (the message often repeats its first line).
  const headline = context ? (details.length > 0 ? `${context}:` : `${context}: ${message}`) : message;
  return (
    <div id={id} className="alert alert--error" role="alert">
      <p>{headline}</p>
      {details.length > 0 && (
        <ul>
          {details.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
