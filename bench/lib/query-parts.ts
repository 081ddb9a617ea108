import { createEmbedder } from '../../src-main/core/embed/embedder';
import type { Embedder } from '../../src-main/core/embed/embedder';
import type { InstalledModel } from '../../src-main/core/embed/installed-model';
import { openDatabase } from '../../src-main/core/store/database';
import type { SqliteDatabase } from '../../src-main/core/store/database';
import { LibraryStore } from '../../src-main/core/store/library-store';
import { VectorIndex } from '../../src-main/core/store/vector-index';

export interface PartTimes {
  /** Tokeniser + text tower. */
  textMs: number;
  /** VectorIndex.search of that text's vector. */
  knnMs: number;
  /** The photo rows of the hits. */
  rowsMs: number;
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

  constructor(model: InstalledModel, databasePath: string) {
    this.embedder = createEmbedder(model);
    this.db = openDatabase(databasePath);
    this.vectors = VectorIndex.open(this.db, model.spec.id, model.spec.embeddingDim);
    this.store = new LibraryStore(this.db);
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
    return { textMs, knnMs, rowsMs: performance.now() - started };
  }

  async dispose(): Promise<void> {
    await this.embedder.dispose();
    this.db.close();
  }
}
