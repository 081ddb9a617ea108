/**
 * Brute-force reference for vector search: cosine of queries with every row of a flat
 * (rows × dim) matrix of unit vectors, and the top k of the rows a predicate accepts.
 */

/**
 * Scores of every row against each query: out[q][row]. Each row is read once for all the queries,
 * so a large matrix streams through memory once per call rather than once per query.
 */
export function dotProducts(
  vectors: Float32Array,
  dim: number,
  queries: readonly Float32Array[],
  out: readonly Float32Array[],
): void {
  const rows = vectors.length / dim;
  for (let row = 0, offset = 0; row < rows; row++, offset += dim) {
    for (let q = 0; q < queries.length; q++) {
      const query = queries[q]!;
      let sum = 0;
      for (let i = 0; i < dim; i++) sum += vectors[offset + i]! * query[i]!;
      out[q]![row] = sum;
    }
  }
}

/** Rows with the k highest scores among those `accept` allows, best first (ties: lower row). */
export function topK(
  scores: Float32Array,
  k: number,
  accept: (row: number) => boolean = () => true,
): number[] {
  const best: number[] = [];
  for (let row = 0; row < scores.length; row++) {
    const score = scores[row]!;
    if (best.length === k && score <= scores[best[k - 1]!]!) continue;
    if (!accept(row)) continue;
    let at = best.length;
    while (at > 0 && scores[best[at - 1]!]! < score) at--;
    best.splice(at, 0, row);
    if (best.length > k) best.pop();
  }
  return best;
}
