/** Fewer characters than this (after trimming) is not a justification. */
export const JUSTIFICATION_MIN_LENGTH = 20;
/** Fewer words than this is not a sentence. */
export const JUSTIFICATION_MIN_WORDS = 3;
export const JUSTIFICATION_MAX_LENGTH = 2000;

/** Words: runs of letters or digits (any script), so punctuation and symbols do not count. */
function wordsOf(text: string): string[] {
  return text.match(/[\p{L}\p{N}]+/gu) ?? [];
}

/**
 * What is wrong with a justification, one line per problem; empty when it is acceptable. A
 * justification is at least a sentence: 20 or more characters and three or more words after
 * trimming, at most 2000 characters.
 */
export function justificationProblems(justification: string | undefined): string[] {
  const text = (justification ?? '').trim();
  if (text === '') return ['a justification is required: say in a sentence why this action is needed'];
  const problems: string[] = [];
  if (text.length < JUSTIFICATION_MIN_LENGTH) {
    problems.push(`justification must be at least ${JUSTIFICATION_MIN_LENGTH} characters (got ${text.length})`);
  }
  const words = wordsOf(text).length;
  if (words < JUSTIFICATION_MIN_WORDS) problems.push(`justification must have at least ${JUSTIFICATION_MIN_WORDS} words (got ${words})`);
  if (text.length > JUSTIFICATION_MAX_LENGTH)
    problems.push(`justification must be at most ${JUSTIFICATION_MAX_LENGTH} characters (got ${text.length})`);
  return problems;
}
