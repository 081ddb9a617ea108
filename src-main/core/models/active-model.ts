import type Database from 'better-sqlite3';
import type { LibraryStatus, ModelSummary } from '../../shared/types';
import { createEmbedder, type Embedder, type EmbedderOptions } from '../inference/embedder';
import { withRecentTextEmbeddings } from '../search/cached-text-embeddings';
import type { LibraryStore, RemovedPhoto } from '../store/library-store';
import { VectorIndex } from '../vectors/vector-index';
import type { InstalledModel } from './installed-model';
import { textTowerOf } from './model-spec';
import type { ModelStore } from './model-store';

/** One model at work on this library: its sessions and its vector index. */
export interface Engine {
  model: InstalledModel;
  embedder: Embedder;
  vectors: VectorIndex;
}

const VECTOR_MODELS_KEY = 'vector-models';
/** The model search answers with ([Note: Switching models]). */
const SEARCH_MODEL_KEY = 'search-model';

/**
 * The library's models at work: the active model's engine, which indexing embeds with, and the
 * one search answers with, which is the previous model's while a switch is under way ([Note:
 * Switching models]). It keeps engines warm by model id (the active model's, and the previous
 * one's while switching) and knows every vector index the library holds (one per model that ever
 * embedded it), so that a photo's removal or move reaches all of them.
 */
export class ActiveModel {
  private readonly engines = new Map<string, Engine>();

  constructor(
    private readonly deps: {
      db: Database.Database;
      store: LibraryStore;
      models: ModelStore;
      embedderOptions: EmbedderOptions;
      /** A write outside indexing, with a full disk or a damaged database made one clear error. */
      write: <T>(write: () => T) => T;
    },
  ) {}

  /** The active model's engine: what indexing embeds with (MODEL_MISSING without one). */
  forIndexing(): Engine {
    return this.engineFor(this.deps.models.requireActive());
  }

  /**
   * [Note: Switching models] `models use` makes a model active at once for indexing, but search
   * stays on the model it used before until the new model's index holds every photo; then search
   * swaps by itself and the old engine is let go (its vectors stay on disk until the model is
   * removed). Until then status reports the switch ("n of N re-embedded"). The library records
   * the model search uses (SEARCH_MODEL_KEY): `models use` leaves it on the model being left when
   * that one's index was complete (beforeUse), and the indexing run that completes the new index
   * moves it on (afterIndexRun), so every process on the library agrees and searching writes
   * nothing (but a relevance calibration, [Note: Relevance cut-off]). While the key names the
   * active model, a search reads that one setting and counts nothing. A library whose previous
   * model is gone searches with the active model straight away.
   */
  forSearch(): Engine {
    const active = this.forIndexing();
    const previous = this.switchingFrom(active.model.spec.id, () => active.vectors.count());
    if (previous) return this.engineFor(previous);
    for (const [id, engine] of this.engines) {
      if (id === active.model.spec.id) continue;
      this.engines.delete(id);
      void disposeEngine(engine);
    }
    return active;
  }

  /** The warm engine of a model, if any (no sessions are started for it). */
  warm(modelId: string): Engine | undefined {
    return this.engines.get(modelId);
  }

  /** Before `models use`: the model being left, when its index is complete, is what search keeps. */
  beforeUse(): void {
    const { db, store, models, write } = this.deps;
    const leaving = models.active();
    if (!leaving || !VectorIndex.exists(db, leaving.spec.id)) return;
    if (this.engineFor(leaving).vectors.count() < store.counts().photos) return;
    write(() => store.setSetting(SEARCH_MODEL_KEY, leaving.spec.id));
  }

  /** After an index run: once the active model's index is complete, search moves on to it. */
  afterIndexRun(): void {
    const { db, store, models } = this.deps;
    const active = models.active();
    if (!active || store.setting(SEARCH_MODEL_KEY) === active.spec.id) return;
    if (!VectorIndex.exists(db, active.spec.id)) return;
    if (this.engineFor(active).vectors.count() < store.counts().photos) return;
    try {
      store.setSetting(SEARCH_MODEL_KEY, active.spec.id);
    } catch {
      // Busy or full: search still picks the right model by counting; the next run settles it.
    }
  }

  /** While search still uses the previous model: which, and how far the active one has got. */
  switchingStatus(embedded: number, photos: number): LibraryStatus['switching'] {
    const active = this.deps.models.active();
    const previous = active && this.switchingFrom(active.spec.id, () => embedded);
    if (!previous) return null;
    const textSearch = textTowerOf(previous.spec) !== null;
    return { searchModel: previous.spec.name, textSearch, embedded, total: photos };
  }

  /** Whether search still answers with `modelId` while the active model catches up. */
  searchStillUses(modelId: string): boolean {
    const active = this.deps.models.active();
    if (!active) return false;
    return (
      this.switchingFrom(active.spec.id, () => this.forIndexing().vectors.count())?.spec.id ===
      modelId
    );
  }

  /** A model's vectors in this library: photos and about how many bytes (float32 + codes). */
  libraryVectors(model: ModelSummary): ModelSummary['libraryVectors'] {
    const { db } = this.deps;
    if (!VectorIndex.exists(db, model.id)) return null;
    const photos = (
      this.engines.get(model.id)?.vectors ?? VectorIndex.open(db, model.id, model.embeddingDim)
    ).count();
    if (photos === 0) return null;
    return {
      photos,
      bytes: photos * (model.embeddingDim * 4 + Math.ceil(model.embeddingDim / 4) + 16),
    };
  }

  /** Photos' filter columns (folder, date) in every model's index, from their first file now. */
  refreshAttributes(photoIds: readonly number[]): void {
    const { store } = this.deps;
    for (const index of this.everyIndex()) {
      for (const photoId of photoIds) {
        const photo = store.photo(photoId);
        if (photo && index.has(photoId)) {
          index.setAttributes(photoId, { dirId: photo.dirId, takenAt: photo.takenAt });
        }
      }
    }
  }

  /** Removes photos' vectors from every model's index (called inside the removing transaction). */
  dropVectors(photos: readonly RemovedPhoto[]): void {
    if (photos.length === 0) return;
    for (const index of this.everyIndex()) for (const photo of photos) index.delete(photo.id);
  }

  /** Lets a model's engine go (when the model is removed); its vectors stay until dropIndex. */
  async release(modelId: string): Promise<void> {
    const engine = this.engines.get(modelId);
    this.engines.delete(modelId);
    if (engine) await disposeEngine(engine);
  }

  /** Drops a model's vector index and forgets it (call inside the removing transaction). */
  dropIndex(modelId: string): void {
    const { db, store } = this.deps;
    VectorIndex.drop(db, modelId);
    const { [modelId]: _removed, ...others } = this.vectorModels();
    store.setSetting(VECTOR_MODELS_KEY, JSON.stringify(others));
  }

  /** Ends every engine's sessions and writes their indexes' due snapshots; call before closing. */
  async dispose(): Promise<void> {
    await Promise.all([...this.engines.values()].map(disposeEngine));
    this.engines.clear();
  }

  /** A model's embedder and vector index, created on first use and kept warm. */
  private engineFor(model: InstalledModel): Engine {
    const warm = this.engines.get(model.spec.id);
    if (warm?.model.dir === model.dir) return warm;
    if (warm) void disposeEngine(warm);
    const embedder = withRecentTextEmbeddings(createEmbedder(model, this.deps.embedderOptions));
    const vectors = VectorIndex.open(this.deps.db, model.spec.id, model.spec.embeddingDim);
    this.rememberVectorModel(model.spec.id, model.spec.embeddingDim);
    const engine = { model, embedder, vectors };
    this.engines.set(model.spec.id, engine);
    return engine;
  }

  /**
   * The model search still uses while the active model has embedded `embedded()` of all photos, or
   * null. Counts only while the library's search model is not the active one.
   */
  private switchingFrom(activeId: string, embedded: () => number): InstalledModel | null {
    const { db, store, models } = this.deps;
    const previousId = store.setting(SEARCH_MODEL_KEY);
    if (previousId === undefined || previousId === activeId) return null;
    if (embedded() >= store.counts().photos) return null;
    const previous = models.get(previousId);
    return previous && VectorIndex.exists(db, previousId) ? previous : null;
  }

  private *everyIndex(): Generator<VectorIndex> {
    const { db } = this.deps;
    for (const [modelId, dim] of Object.entries(this.vectorModels())) {
      if (!VectorIndex.exists(db, modelId)) continue;
      yield this.engines.get(modelId)?.vectors ?? VectorIndex.open(db, modelId, dim);
    }
  }

  /** Model id → embedding dimension of every vector index this library has. */
  private vectorModels(): Record<string, number> {
    return JSON.parse(this.deps.store.setting(VECTOR_MODELS_KEY) ?? '{}') as Record<string, number>;
  }

  private rememberVectorModel(modelId: string, dim: number): void {
    const known = this.vectorModels();
    if (known[modelId] !== dim)
      this.deps.store.setSetting(VECTOR_MODELS_KEY, JSON.stringify({ ...known, [modelId]: dim }));
  }
}

/** Lets an engine go: its sessions end, and its index writes a snapshot that is due. */
async function disposeEngine(engine: Engine): Promise<void> {
  await Promise.all([engine.embedder.dispose(), engine.vectors.dispose()]);
}
