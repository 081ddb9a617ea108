import { createEmbedder } from '../../src-main/core/inference/embedder';
import type { Embedder } from '../../src-main/core/inference/embedder';
import type { InstalledModel } from '../../src-main/core/models/installed-model';
import { openDatabase } from '../../src-main/core/store/database';
import type { SqliteDatabase } from '../../src-main/core/store/database';
import { LibraryStore } from '../../src-main/core/store/library-store';
import { VectorIndex } from '../../src-main/core/vectors/vector-index';
import { vectorTables } from '../../src-main/core/vectors/tables';
import { dotProducts, topK } from './exact-top-k';

export interface PartTimes {
  /** Tokeniser + text tower. */
  textMs: number;
  /** VectorIndex.search of that text's vector. */
  knnMs: number;
  /** The photo rows of the hits. */
  rowsMs: number;
  /**
   * rclip's method on the same vector: a flat scan of every stored float32 embedding (dot
   * products) and the top k, in plain JavaScript over one in-memory matrix.
   */
  flatScanMs: number;
}

/**
 * The three parts of a text query timed one by one, with the store classes the search service
 * uses, on a second connection to the library (its own embedder and in-memory vector codes): the
 * breakdown of the end-to-end time for the very same query vectors.
 */
export class QueryParts {
  private readonly embedder: Embedder;
  private readonly db: SqliteDatabase;
  private readonly vectors: VectorIndex;
  private readonly store: LibraryStore;
  private matrix: Float32Array | undefined;
  private readonly dim: number;
  private readonly embeddingsTable: string;

  constructor(model: InstalledModel, databasePath: string) {
    this.embedder = createEmbedder(model);
    this.db = openDatabase(databasePath);
    this.vectors = VectorIndex.open(this.db, model.spec.id, model.spec.embeddingDim);
    this.store = new LibraryStore(this.db);
    this.dim = model.spec.embeddingDim;
    this.embeddingsTable = vectorTables(model.spec.id).embeddings;
  }

  /** Every stored embedding as one rows × dim matrix (loaded once, like rclip's numpy array). */
  private vectorsMatrix(): Float32Array {
    if (this.matrix) return this.matrix;
    const blobs = this.db
      .prepare(`SELECT embedding FROM ${this.embeddingsTable}`)
      .pluck()
      .all() as Buffer[];
    const matrix = new Float32Array(blobs.length * this.dim);
    blobs.forEach((blob, row) =>
      matrix.set(new Float32Array(blob.buffer, blob.byteOffset, this.dim), row * this.dim),
    );
    this.matrix = matrix;
    return matrix;
  }

  async time(text: string, limit: number): Promise<PartTimes> {
    let started = performance.now();
    const [vector] = await this.embedder.embedTexts([text]);
    const textMs = performance.now() - started;
    started = performance.now();
    const hits = this.vectors.search(vector!, limit);
    const knnMs = performance.now() - started;
    started = performance.now();
    this.store.photos(hits.map((hit) => hit.photoId));
    const rowsMs = performance.now() - started;
    const matrix = this.vectorsMatrix();
    const scores = [new Float32Array(matrix.length / this.dim)];
    started = performance.now();
    dotProducts(matrix, this.dim, [vector!], scores);
    topK(scores[0]!, limit);
    return { textMs, knnMs, rowsMs, flatScanMs: performance.now() - started };
  }

  async dispose(): Promise<void> {
    await this.embedder.dispose();
    this.db.close();
  }
}
