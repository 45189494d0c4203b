/** Reciprocal rank fusion's damping constant; 60 is the value from the original paper. */
const RRF_K = 60;

/**
 * Merges ranked lists of ids (full-text and vector search) by reciprocal rank fusion:
 * an id's score is the sum of 1 / (k + rank) over the lists it appears in.
 */
export function fuseRankings(rankings: readonly (readonly string[])[], limit = Infinity): string[] {
  const scores = new Map<string, number>();
  for (const ranking of rankings) {
    ranking.forEach((id, index) => scores.set(id, (scores.get(id) ?? 0) + 1 / (RRF_K + index + 1)));
  }
  return [...scores.entries()]
    .sort(([idA, a], [idB, b]) => b - a || idA.localeCompare(idB))
    .slice(0, limit)
    .map(([id]) => id);
}
