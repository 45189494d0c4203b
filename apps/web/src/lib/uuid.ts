const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for the ids the API hands out; route params are checked with it before any request. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
