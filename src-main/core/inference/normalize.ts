/**
 * Splits a row-major [rows, dim] matrix into unit-length rows (L2). A zero row stays zero rather
 * than becoming NaN: it has no direction, and cosine similarity with it is then 0 for everything.
 */
export function normalizedRows(matrix: Float32Array, rows: number, dim: number): Float32Array[] {
  return Array.from({ length: rows }, (_, row) =>
    l2Normalize(matrix.subarray(row * dim, (row + 1) * dim)),
  );
}

/** A new unit-length copy of `vector`; all zeros when `vector` is all zeros. */
export function l2Normalize(vector: Float32Array): Float32Array {
  let squares = 0;
  for (const x of vector) squares += x * x;
  const result = new Float32Array(vector.length);
  if (squares === 0) return result;
  const scale = 1 / Math.sqrt(squares);
  for (let i = 0; i < vector.length; i++) result[i] = vector[i]! * scale;
  return result;
}
