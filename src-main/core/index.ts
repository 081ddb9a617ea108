import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { EvalReport } from '../shared/eval-report';
import { PhotoseekError } from '../shared/errors';
import type {
  ClusterNode,
  CombinedQuery,
  DownloadProgress,
  DuplicateGroup,
  DuplicatesProgress,
  Failure,
  IndexProgress,
  ImageFormat,
  IndexReport,
  LibraryFacets,
  LibraryFolder,
  LibraryStatus,
  ModelSummary,
  PhotoDetails,
  PhotoId,
  SearchHit,
  SearchOptions,
  SimilarityMap,
  TimelinePage,
  TimelinePageRequest,
  VerifiedPhotoFile,
} from '../shared/types';
import type { Embedder } from './inference/embedder';
import { createEmbedder } from './inference/embedder';
import type { SessionThread } from './inference/lazy-session';
import type { InstalledModel } from './models/installed-model';
import { textTowerOf } from './models/model-spec';
import { createModelComparer, type CompareModelsRequest } from './eval/compare-models';
import { calibrateDuplicateThreshold } from './explore/duplicate-threshold';
import { findDuplicates } from './explore/duplicates';
import { FingerprintStore } from './explore/fingerprint-store';
import { createModelStore } from './models/model-store';
import { timelinePage } from './explore/timeline';
import { findResourcesDir } from './models/registry';
import { ClusterService, type ClusterRequest, type ClusterSource } from './explore/cluster-service';
import { ClusterStore } from './explore/cluster-store';
import { MapService, type MapRequest } from './explore/map-service';
import { MapStore } from './explore/map-store';
import { loadVocabulary, termVectorsFor, type Vocabulary } from './explore/vocabulary';
import { isVerifiedFile } from './files/verified-file';
import type { IndexerDeps } from './library/indexer';
import { LibraryService } from './library/library-service';
import { libraryWideError } from './library/library-wide-error';
import { ThumbnailCache } from './library/thumbnail-cache';
import { defaultDatabasePath, defaultDataDir, thumbnailDirFor } from './paths';
import { withRecentTextEmbeddings } from './search/cached-text-embeddings';
import { PlaceNames } from './places/place-names';
import {
  calibrateRelevance,
  calibrationFits,
  RELEVANCE_TERMS,
  type RelevanceCalibration,
} from './search/relevance';
import { SearchService } from './search/search-service';
import { openDatabase } from './store/database';
import { JobQueue } from './store/job-queue';
import { LibraryStore } from './store/library-store';
import type { RemovedPhoto } from './store/library-store';
import { PhotoFacts } from './store/photo-facts';
import { VectorIndex } from './vectors/vector-index';
import { WriterLease } from './store/writer-lease';

export interface CoreConfig {
  /** User data folder (models, default database). Defaults to the platform's ([Note: Where data lives]). */
  dataDir?: string;
  /** Library database file. Defaults to `<dataDir>/library.db`. */
  databasePath?: string;
  /** 'always': check the file for damage at open even after a clean close (`photoseek status`). */
  checkDatabase?: 'always';
  /** Folder holding models.json (the app passes its resources path). */
  resourcesDir?: string;
  /** Execution providers to try, in order (default: per platform, then CPU). */
  providers?: string[];
  /** Where the image tower runs (default a worker thread: [Note: Inference off the host's thread]). */
  imageThread?: SessionThread;
  /** Who this is, in words, for other processes on the library ("photoseek index", "the Photoseek app"). */
  processLabel?: string;
}

export interface IndexRequest {
  /** Library folders to index; all of them when absent. */
  folders?: string[];
  signal?: AbortSignal;
  onProgress?: (progress: IndexProgress) => void;
}

export interface DuplicatesRequest {
  signal?: AbortSignal;
  onProgress?: (progress: DuplicatesProgress) => void;
}

export interface Core {
  readonly databasePath: string;
  addFolder(folder: string): Promise<LibraryFolder>;
  removeFolder(folder: string): Promise<void>;
  listFolders(): LibraryFolder[];
  /** Scans the folders (stat only) and indexes what changed; resumes work left by a crash. */
  index(request?: IndexRequest): Promise<IndexReport>;
  /**
   * Live mode: reconciles every library folder with the disk, then follows changes with file
   * watchers until the returned function is called. Adding or removing a folder, or changing the
   * model, while live restarts the watchers on the new set. Without a model it throws
   * MODEL_MISSING, unless `whenModelInstalled`: live mode then begins as soon as a model is
   * installed ([Note: Live from the start]).
   */
  watch(options?: { whenModelInstalled?: boolean }): () => Promise<void>;
  /** Pause keeps the queued work for `resumeIndexing`; cancel drops it (a later scan finds it). */
  pauseIndexing(): void;
  resumeIndexing(): Promise<void>;
  cancelIndexing(): void;
  /** Progress of every run (explicit or live) and notices (offline folders, polling fallback). */
  onProgress(listener: (progress: IndexProgress) => void): () => void;
  onNotice(listener: (message: string) => void): () => void;
  search(query: string, options?: SearchOptions, signal?: AbortSignal): Promise<SearchHit[]>;
  /** By an image file on disk: the CLI's only ([Note: No file reads on the renderer's word]). */
  searchByImage(
    filePath: string,
    options?: SearchOptions,
    signal?: AbortSignal,
  ): Promise<SearchHit[]>;
  searchByImageBytes(
    bytes: Uint8Array,
    options?: SearchOptions,
    signal?: AbortSignal,
  ): Promise<SearchHit[]>;
  /** Photos like one library photo, or like several at once (their mean direction). */
  similar(photos: PhotoId | readonly PhotoId[], options?: SearchOptions): Promise<SearchHit[]>;
  /** Example photos or image bytes refined by words ([Note: Combined queries]). */
  searchCombined(
    query: CombinedQuery,
    options?: SearchOptions,
    signal?: AbortSignal,
  ): Promise<SearchHit[]>;
  /** The cameras, formats, orientations, location count and date span the filters offer. */
  facets(): LibraryFacets;
  photo(photoId: PhotoId): PhotoDetails;
  /** Home: a page of every photo, newest first, with the months' counts ([Note: Timeline order]). */
  timeline(request: TimelinePageRequest): TimelinePage;
  /** Exact copies and groups of the same shot in the search model's vectors, with the copy to keep. */
  duplicates(request?: DuplicatesRequest): Promise<DuplicateGroup[]>;
  /**
   * Visual clusters of the library in two levels, named, for the model search uses; computed and
   * stored when missing or stale, new photos joining otherwise ([Note: Fresh clusters]).
   */
  clusters(request?: ClusterRequest): Promise<ClusterNode[]>;
  /** The similarity map of the search model's photos, computed when stale ([Note: Fresh map]). */
  map(request?: MapRequest): Promise<SimilarityMap>;
  /** Forgets a failure and indexes that file again now. */
  retryFailure(filePath: string, options?: Omit<IndexRequest, 'folders'>): Promise<IndexReport>;
  /** The photo an indexed file belongs to, if any (find-similar from a path). */
  photoIdForFile(filePath: string): PhotoId | null;
  thumbnailPath(photoId: PhotoId): string | null;
  /**
   * The first of the photo's files that is still the file indexed ([Note: Verified files]): what
   * the app may show and open as the photo's original. Null when none is, or no such photo.
   */
  verifiedFile(photoId: PhotoId): Promise<VerifiedPhotoFile | null>;
  /** Whether `filePath` is an indexed file and still the file indexed ([Note: Verified files]). */
  fileIsVerified(filePath: string): Promise<boolean>;
  status(): LibraryStatus;
  failures(): Failure[];
  models: {
    list(): ModelSummary[];
    download(
      id: string,
      options?: { signal?: AbortSignal; onProgress?: (progress: DownloadProgress) => void },
    ): Promise<ModelSummary>;
    add(dir: string): Promise<ModelSummary>;
    use(id: string): ModelSummary;
    /**
     * Uninstalls a model other than the active one (and the one search still uses while
     * switching) and deletes its vectors from this library.
     */
    remove(id: string): Promise<{ photos: number; bytes: number }>;
    /** `photoseek eval` for the app: installed models side by side on a labelled folder. */
    compare(request: CompareModelsRequest): Promise<EvalReport>;
  };
  dispose(): Promise<void>;
}

const VECTOR_MODELS_KEY = 'vector-models';
/** The model search answers with ([Note: Switching models]). */
const SEARCH_MODEL_KEY = 'search-model';

/**
 * The composition root: opens the library database, the model store and (lazily) the active
 * model's embedder, and wires them into the indexer and the search service. Plain Node: the CLI
 * uses it in-process, the app in a utility process, tests directly.
 */
export function createCore(config: CoreConfig = {}): Core {
  const dataDir = config.dataDir ?? defaultDataDir();
  const databasePath = path.resolve(config.databasePath ?? defaultDatabasePath(dataDir));
  const db = openDatabase(
    databasePath,
    config.checkDatabase ? { check: config.checkDatabase } : {},
  );
  const store = new LibraryStore(db);
  const facts = new PhotoFacts(db);
  const thumbnails = new ThumbnailCache(thumbnailDirFor(databasePath));
  const modelStore = createModelStore({
    dataDir,
    ...(config.resourcesDir ? { resourcesDir: config.resourcesDir } : {}),
  });
  const jobs = new JobQueue(db);
  const progressListeners = new Set<(progress: IndexProgress) => void>();
  const noticeListeners = new Set<(message: string) => void>();
  const lease = new WriterLease(db, config.processLabel ?? 'Photoseek');
  const library = new LibraryService(indexerDeps, jobs, lease, {
    onProgress: (progress) => progressListeners.forEach((listener) => listener(progress)),
    onNotice: (message) => noticeListeners.forEach((listener) => listener(message)),
    onRunEnd: settleSearchModel,
  });
  /** Live mode: wanted from watch() until its stop; running (stopLive set) once a model is in. */
  let liveWanted = false;
  let stopLive: (() => Promise<void>) | undefined;
  const clusterStore = new ClusterStore(db);
  const placeNames = new PlaceNames();
  let vocabulary: Vocabulary | undefined;
  const vocabularyOf = () =>
    (vocabulary ??= loadVocabulary(config.resourcesDir ?? findResourcesDir()));
  const clusterService = new ClusterService({
    library: store,
    clusters: clusterStore,
    vocabulary: vocabularyOf,
  });
  const mapStore = new MapStore(db);
  const fingerprintStore = new FingerprintStore(db);
  const mapService = new MapService({
    map: mapStore,
    clusters: clusterService,
    clusterStore,
  });

  /** (Re)starts live mode on the current folders and model; no-op when it is not wanted. */
  async function restartLive(): Promise<void> {
    const stop = stopLive;
    stopLive = undefined;
    await stop?.();
    startLiveIfWanted();
  }

  /**
   * [Note: Live from the start] The app's library follows the disk by itself: its host asks for
   * live mode once, at start, "when a model is installed" (core-host/serve-host.ts). The core
   * then starts it as soon as it can: at once when a model is installed, else after a model is
   * downloaded, added or chosen; adding a folder restarts it on the new set, so a folder added
   * from the UI is indexed without an index.start, and the UI learns of it through
   * 'index.progress'. Live mode has this one owner. Never throws: a library that cannot go live
   * still answers commands, and says why in a notice.
   */
  function startLiveIfWanted(): void {
    if (!liveWanted || stopLive || !modelStore.active()) return;
    try {
      stopLive = library.watch(store.listFolders());
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const message = `The library could not start following its folders: ${reason}`;
      noticeListeners.forEach((listener) => listener(message));
    }
  }

  interface Engine {
    model: InstalledModel;
    embedder: Embedder;
    vectors: VectorIndex;
  }
  /** Warm engines by model id: the active model's, and the previous one's while switching. */
  const engines = new Map<string, Engine>();

  /** A model's embedder and vector index, created on first use and kept warm. */
  function engineFor(model: InstalledModel): Engine {
    const warm = engines.get(model.spec.id);
    if (warm?.model.dir === model.dir) return warm;
    if (warm) void disposeEngine(warm);
    const embedder = withRecentTextEmbeddings(
      createEmbedder(model, {
        ...(config.providers ? { providers: config.providers } : {}),
        ...(config.imageThread ? { imageThread: config.imageThread } : {}),
      }),
    );
    const vectors = VectorIndex.open(db, model.spec.id, model.spec.embeddingDim);
    rememberVectorModel(model.spec.id, model.spec.embeddingDim);
    const engine = { model, embedder, vectors };
    engines.set(model.spec.id, engine);
    return engine;
  }

  /** Lets an engine go: its sessions end, and its index writes a snapshot that is due. */
  async function disposeEngine(engine: Engine): Promise<void> {
    await Promise.all([engine.embedder.dispose(), engine.vectors.dispose()]);
  }

  /** The active model's engine: what indexing embeds with. */
  function activeEngine(): Engine {
    return engineFor(modelStore.requireActive());
  }

  /**
   * [Note: Switching models] `models use` makes a model active at once for indexing, but search
   * stays on the model it used before until the new model's index holds every photo; then search
   * swaps by itself and the old engine is let go (its vectors stay on disk until the model is
   * removed). Until then status reports the switch ("n of N re-embedded"). The library records
   * the model search uses (SEARCH_MODEL_KEY): `models use` leaves it on the model being left when
   * that one's index was complete, and the indexing run that completes the new index moves it on
   * (settleSearchModel), so every process on the library agrees and searching writes nothing
   * (but a relevance calibration, [Note: Relevance cut-off]). While the key names the active
   * model, a search reads that one setting and counts nothing. A library whose previous model is
   * gone searches with the active model straight away.
   */
  function searchEngine(): Engine {
    const active = activeEngine();
    const previous = switchingFrom(active.model.spec.id, () => active.vectors.count());
    if (previous) return engineFor(previous);
    for (const [id, engine] of engines) {
      if (id === active.model.spec.id) continue;
      engines.delete(id);
      void disposeEngine(engine);
    }
    return active;
  }

  /** Before `models use`: the model being left, when its index is complete, is what search keeps. */
  function rememberSearchModel(): void {
    const leaving = modelStore.active();
    if (!leaving || !VectorIndex.exists(db, leaving.spec.id)) return;
    if (engineFor(leaving).vectors.count() < store.counts().photos) return;
    libraryWrite(() => store.setSetting(SEARCH_MODEL_KEY, leaving.spec.id));
  }

  /** After a run: once the active model's index is complete, search moves on to it for good. */
  function settleSearchModel(): void {
    const active = modelStore.active();
    if (!active || store.setting(SEARCH_MODEL_KEY) === active.spec.id) return;
    if (!VectorIndex.exists(db, active.spec.id)) return;
    if (engineFor(active).vectors.count() < store.counts().photos) return;
    try {
      store.setSetting(SEARCH_MODEL_KEY, active.spec.id);
    } catch {
      // Busy or full: search still picks the right model by counting; the next run settles it.
    }
  }

  /** While search still uses the previous model: which, and how far the active one has got. */
  function switchingStatus(embedded: number, photos: number): LibraryStatus['switching'] {
    const active = modelStore.active();
    const previous = active && switchingFrom(active.spec.id, () => embedded);
    if (!previous) return null;
    const textSearch = textTowerOf(previous.spec) !== null;
    return { searchModel: previous.spec.name, textSearch, embedded, total: photos };
  }

  /**
   * The model search still uses while the active model has embedded `embedded()` of all photos, or
   * null. Counts only while the library's search model is not the active one.
   */
  function switchingFrom(activeId: string, embedded: () => number): InstalledModel | null {
    const previousId = store.setting(SEARCH_MODEL_KEY);
    if (previousId === undefined || previousId === activeId) return null;
    if (embedded() >= store.counts().photos) return null;
    const previous = modelStore.get(previousId);
    return previous && VectorIndex.exists(db, previousId) ? previous : null;
  }

  /** Model id → embedding dimension of every vector index this library has. */
  function vectorModels(): Record<string, number> {
    return JSON.parse(store.setting(VECTOR_MODELS_KEY) ?? '{}') as Record<string, number>;
  }

  function rememberVectorModel(modelId: string, dim: number): void {
    const known = vectorModels();
    if (known[modelId] !== dim)
      store.setSetting(VECTOR_MODELS_KEY, JSON.stringify({ ...known, [modelId]: dim }));
  }

  /** A model's vectors in this library: photos and about how many bytes (float32 + codes). */
  function libraryVectors(model: ModelSummary): ModelSummary['libraryVectors'] {
    if (!VectorIndex.exists(db, model.id)) return null;
    const photos = (
      engines.get(model.id)?.vectors ?? VectorIndex.open(db, model.id, model.embeddingDim)
    ).count();
    if (photos === 0) return null;
    return {
      photos,
      bytes: photos * (model.embeddingDim * 4 + Math.ceil(model.embeddingDim / 4) + 16),
    };
  }

  /** Photos' filter columns (folder, date) in every model's index, from their first file now. */
  function refreshVectorAttributes(photoIds: readonly number[]): void {
    for (const [modelId, dim] of Object.entries(vectorModels())) {
      if (!VectorIndex.exists(db, modelId)) continue;
      const index = engines.get(modelId)?.vectors ?? VectorIndex.open(db, modelId, dim);
      for (const photoId of photoIds) {
        const photo = store.photo(photoId);
        if (photo && index.has(photoId)) {
          index.setAttributes(photoId, { dirId: photo.dirId, takenAt: photo.takenAt });
        }
      }
    }
  }

  /** Removes photos' vectors from every model's index (called inside the removing transaction). */
  function dropVectors(photos: readonly RemovedPhoto[]): void {
    if (photos.length === 0) return;
    for (const [modelId, dim] of Object.entries(vectorModels())) {
      if (!VectorIndex.exists(db, modelId)) continue;
      const index = engines.get(modelId)?.vectors ?? VectorIndex.open(db, modelId, dim);
      for (const photo of photos) index.delete(photo.id);
    }
  }

  function indexerDeps(): IndexerDeps {
    const { model, embedder, vectors } = activeEngine();
    return {
      store,
      jobs,
      vectors,
      embedder,
      imageSpec: model.spec.image,
      thumbnails,
      fingerprints: fingerprintStore,
      dropVectors,
      refreshAttributes: refreshVectorAttributes,
    };
  }

  /** A write outside indexing: a full disk or a damaged database is one clear error. */
  function libraryWrite<T>(write: () => T): T {
    try {
      return write();
    } catch (error) {
      throw libraryWideError(error, { databasePath, thumbnailsDir: thumbnails.dir }) ?? error;
    }
  }

  function subscribe<T>(listeners: Set<T>, listener: T): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  /** The search model's vectors, and its text tower for names: what clusters and the map use. */
  function clusterSource(): ClusterSource {
    const { model, embedder, vectors } = searchEngine();
    return {
      modelId: model.spec.id,
      dim: model.spec.embeddingDim,
      vectors,
      textTower: embedder.hasTextTower ? embedder : null,
    };
  }

  function searchService(): SearchService {
    const engine = searchEngine();
    const { embedder, vectors, model } = engine;
    return new SearchService({
      store,
      facts,
      vectors,
      embedder,
      imageSpec: model.spec.image,
      relevance: () => relevanceFor(engine),
    });
  }

  /** Each model's relevance calibration, kept while it fits the library ([Note: Relevance cut-off]). */
  const relevanceCache = new Map<string, RelevanceCalibration>();
  /** A calibration being measured, per model: searches that arrive meanwhile wait for it. */
  const measuringRelevance = new Map<string, Promise<RelevanceCalibration>>();
  function relevanceFor(engine: Engine): Promise<RelevanceCalibration> {
    const { model, vectors } = engine;
    const key = `relevance:${model.spec.id}`;
    const stored = relevanceCache.get(model.spec.id) ?? storedRelevance(key);
    if (stored && calibrationFits(stored, vectors.count())) {
      relevanceCache.set(model.spec.id, stored);
      return Promise.resolve(stored);
    }
    let measuring = measuringRelevance.get(model.spec.id);
    if (!measuring) {
      measuring = measureRelevance(engine, key).finally(() =>
        measuringRelevance.delete(model.spec.id),
      );
      measuringRelevance.set(model.spec.id, measuring);
    }
    return measuring;
  }

  async function measureRelevance(
    { model, vectors, embedder }: Engine,
    key: string,
  ): Promise<RelevanceCalibration> {
    const everyTerm = vocabularyOf();
    const calibrationTerms = { ...everyTerm, terms: everyTerm.terms.slice(0, RELEVANCE_TERMS) };
    const terms = embedder.hasTextTower
      ? (await termVectorsFor(embedder, clusterStore, calibrationTerms)).vectors
      : null;
    const measured = calibrateRelevance(model.spec.id, vectors, terms);
    relevanceCache.set(model.spec.id, measured);
    try {
      store.setSetting(key, JSON.stringify(measured));
    } catch {
      // A busy or read-only library: this process keeps it in memory; a later search stores it.
    }
    return measured;
  }

  function storedRelevance(key: string): RelevanceCalibration | undefined {
    const stored = store.setting(key);
    return stored === undefined ? undefined : (JSON.parse(stored) as RelevanceCalibration);
  }

  /** Near-duplicates in the search model's vectors ([Note: Duplicate threshold per model]). */
  function duplicates({ signal, onProgress }: DuplicatesRequest): Promise<DuplicateGroup[]> {
    const { model, vectors } = searchEngine();
    const cancel = signal ? { signal } : {};
    const thumbnailPath = (photoId: PhotoId) => {
      const photo = store.photo(photoId);
      return photo ? thumbnails.pathFor(photo.contentHash) : null;
    };
    return findDuplicates({
      store,
      modelId: model.spec.id,
      vectors,
      dim: model.spec.embeddingDim,
      fingerprints: fingerprintStore,
      thumbnailPath,
      calibrate: (photoIds, library, byContent) =>
        calibrateDuplicateThreshold(
          {
            modelId: model.spec.id,
            vectors,
            onProgress: (done, total) => onProgress?.({ phase: 'calibrating', done, total }),
            ...cancel,
          },
          photoIds,
          library,
          byContent,
        ),
      write: (action) => libraryWrite(action),
      ...(onProgress ? { onProgress } : {}),
      ...cancel,
    });
  }

  function folderOrThrow(folder: string): LibraryFolder {
    const found = store.folder(path.resolve(folder));
    if (!found)
      throw new PhotoseekError('NOT_FOUND', `${path.resolve(folder)} is not a library folder.`);
    return found;
  }

  function summary(id: string): ModelSummary {
    const found = modelStore.list().find((model) => model.id === id);
    if (!found) throw new PhotoseekError('NOT_FOUND', `Unknown model "${id}".`);
    return found;
  }

  return {
    databasePath,

    async addFolder(folder) {
      const absolute = path.resolve(folder);
      const info = await stat(absolute).catch(() => undefined);
      if (!info?.isDirectory()) {
        throw new PhotoseekError(
          'FOLDER_MISSING',
          `${absolute} is not a folder (or it cannot be read).`,
        );
      }
      const added = libraryWrite(() => store.addFolder(absolute));
      await restartLive();
      return added;
    },

    async removeFolder(folder) {
      const found = folderOrThrow(folder);
      const removed = libraryWrite(() =>
        db
          .transaction(() => {
            const touched = new Set(store.filesInFolder(found.id).map((file) => file.photoId));
            const photos = store.removeFolder(found.id);
            dropVectors(photos);
            refreshVectorAttributes([...touched]); // a copy elsewhere now stands for its photo
            return photos;
          })
          .immediate(),
      );
      await Promise.all(removed.map((photo) => thumbnails.remove(photo.contentHash)));
      await restartLive();
    },

    listFolders: () => store.listFolders(),

    async index(request = {}) {
      const folders = request.folders ? request.folders.map(folderOrThrow) : store.listFolders();
      activeEngine(); // fail fast with MODEL_MISSING before scanning
      return library.index(folders, {
        ...(request.signal ? { signal: request.signal } : {}),
        ...(request.onProgress ? { onProgress: request.onProgress } : {}),
      });
    },

    watch({ whenModelInstalled = false } = {}) {
      if (whenModelInstalled) {
        liveWanted = true;
        startLiveIfWanted();
      } else {
        activeEngine(); // MODEL_MISSING before watching anything
        void stopLive?.();
        stopLive = library.watch(store.listFolders());
        liveWanted = true;
      }
      return async () => {
        liveWanted = false;
        const stop = stopLive;
        stopLive = undefined;
        await stop?.();
      };
    },

    pauseIndexing: () => library.pause(),
    async resumeIndexing() {
      // Without a model there is nothing to drain yet: resuming only lifts the pause.
      await library.resume({ drain: modelStore.active() !== null });
    },
    cancelIndexing: () => library.cancel(),
    onProgress: (listener) => subscribe(progressListeners, listener),
    onNotice: (listener) => subscribe(noticeListeners, listener),

    search: (query, options, signal) => searchService().byText(query, options, signal),
    searchByImage: (filePath, options, signal) =>
      searchService().byImageFile(path.resolve(filePath), options, signal),
    searchByImageBytes: (bytes, options, signal) =>
      searchService().byImageBytes(bytes, options, signal),

    timeline(request) {
      return timelinePage(store, request);
    },

    photo(photoId) {
      const details = store.photoDetails(photoId);
      if (!details) throw new PhotoseekError('NOT_FOUND', `There is no photo with id ${photoId}.`);
      return { ...details, place: details.gps ? placeNames.nameOf(details.gps) : null };
    },

    async retryFailure(filePath, options = {}) {
      const absolute = path.resolve(filePath);
      const failure = store.failure(absolute);
      if (!failure)
        throw new PhotoseekError('NOT_FOUND', `${absolute} is not in the list of failures.`);
      store.clearFailure(absolute);
      const folder = store.listFolders().find((root) => absolute.startsWith(root.path + path.sep));
      return this.index({ ...options, ...(folder ? { folders: [folder.path] } : {}) });
    },
    similar: (photos, options) => searchService().similarTo(photos, options),
    searchCombined: (query, options, signal) => searchService().combined(query, options, signal),
    facets: () => facts.facets(),
    duplicates: (request = {}) => duplicates(request),

    clusters(request) {
      return clusterService.clusters(clusterSource(), request).catch((error: unknown) => {
        throw libraryWideError(error, { databasePath, thumbnailsDir: thumbnails.dir }) ?? error;
      });
    },

    map(request) {
      return mapService.map(clusterSource(), request).catch((error: unknown) => {
        throw libraryWideError(error, { databasePath, thumbnailsDir: thumbnails.dir }) ?? error;
      });
    },

    photoIdForFile(filePath) {
      return store.file(path.resolve(filePath))?.photoId ?? null;
    },

    thumbnailPath(photoId) {
      const photo = store.photo(photoId);
      return photo ? thumbnails.pathFor(photo.contentHash) : null;
    },

    async verifiedFile(photoId) {
      const photo = store.photo(photoId);
      if (!photo) return null;
      for (const { path: filePath, size, mtimeMs } of store.filesOfPhoto(photoId)) {
        if (await isVerifiedFile({ path: filePath, size, mtimeMs })) {
          return { path: filePath, size, mtimeMs, format: photo.format as ImageFormat };
        }
      }
      return null;
    },

    async fileIsVerified(filePath) {
      const file = store.file(filePath);
      return file !== undefined && (await isVerifiedFile(file));
    },

    status() {
      const counts = store.counts();
      const model = modelStore.active();
      const embedded =
        model && VectorIndex.exists(db, model.spec.id) ? activeEngine().vectors.count() : 0;
      return {
        databasePath,
        folders: store.listFolders(),
        photos: counts.photos,
        files: counts.files,
        embedded,
        failures: counts.failures,
        queued: jobs.size(),
        paused: library.isPaused(),
        model: model ? summary(model.spec.id) : null,
        provider: model ? (engines.get(model.spec.id)?.embedder.provider() ?? null) : null,
        switching: switchingStatus(embedded, counts.photos),
      };
    },

    failures: () =>
      store.listFailures().map(({ path: filePath, stage, code, message, attempts, lastTry }) => ({
        path: filePath,
        stage,
        code,
        message,
        attempts,
        lastTry,
      })),

    models: {
      list: () =>
        modelStore.list().map((model) => ({ ...model, libraryVectors: libraryVectors(model) })),
      async remove(id) {
        const active = modelStore.active();
        if (
          active &&
          switchingFrom(active.spec.id, () => activeEngine().vectors.count())?.spec.id === id
        ) {
          throw new PhotoseekError(
            'BAD_ARGUMENT',
            `Search still uses ${id} until the active model has embedded every photo; remove it after that.`,
          );
        }
        const known = modelStore.list().find((model) => model.id === id);
        if (!known) throw new PhotoseekError('NOT_FOUND', `Unknown model "${id}".`);
        const freed = libraryVectors(known) ?? { photos: 0, bytes: 0 };
        if (!known.installed && freed.photos === 0) {
          throw new PhotoseekError(
            'NOT_FOUND',
            `${id} is not installed: there is nothing to remove.`,
          );
        }
        await modelStore.remove(id);
        const engine = engines.get(id);
        engines.delete(id);
        if (engine) await disposeEngine(engine);
        libraryWrite(() =>
          db
            .transaction(() => {
              VectorIndex.drop(db, id);
              clusterStore.drop(id);
              mapStore.drop(id);
              const { [id]: _removed, ...others } = vectorModels();
              store.setSetting(VECTOR_MODELS_KEY, JSON.stringify(others));
            })
            .immediate(),
        );
        return freed;
      },
      async download(id, options = {}) {
        const installed = await modelStore.download(id, options);
        startLiveIfWanted();
        return summary(installed.spec.id);
      },
      compare: createModelComparer({
        dataDir,
        ...(config.resourcesDir ? { resourcesDir: config.resourcesDir } : {}),
      }),
      async add(dir) {
        const installed = await modelStore.addLocal(path.resolve(dir));
        startLiveIfWanted();
        return summary(installed.spec.id);
      },
      use(id) {
        rememberSearchModel();
        const installed = modelStore.use(id);
        void restartLive();
        return summary(installed.spec.id);
      },
    },

    async dispose() {
      liveWanted = false;
      await stopLive?.();
      stopLive = undefined;
      library.cancelRun();
      await library.idle();
      await Promise.all([...engines.values()].map(disposeEngine));
      engines.clear();
      db.close();
    },
  };
}
