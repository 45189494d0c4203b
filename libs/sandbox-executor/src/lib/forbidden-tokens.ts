/** Shell syntax that an argv-only executor refuses anywhere in a command (docs/sandbox.md "Refusals"). */
export const FORBIDDEN_SEQUENCES = ['&&', '||', '$(', ';', '|', '`', '>', '<', '\n', '\r', '\0'] as const;

/** The first forbidden sequence in `command`, or undefined when there is none. */
export function findForbiddenSequence(command: string): string | undefined {
  let first: { sequence: string; index: number } | undefined;
  for (const sequence of FORBIDDEN_SEQUENCES) {
    const index = command.indexOf(sequence);
    if (index !== -1 && (!first || index < first.index)) first = { sequence, index };
  }
  return first?.sequence;
}
