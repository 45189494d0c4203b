/** The message of anything thrown; duck-typed because errors from Node's internals may come from another realm (Jest). */
export function errorMessage(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string') return error.message;
  return String(error);
}
