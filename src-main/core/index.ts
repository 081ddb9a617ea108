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
import type { SessionThread } from './inference/lazy-session';
import { ActiveModel } from './models/active-model';
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
import { loadVocabulary, type Vocabulary } from './explore/vocabulary';
import { isVerifiedFile } from './files/verified-file';
import type { IndexerDeps } from './library/indexer';
import { LibraryService } from './library/library-service';
import { libraryWideError } from './library/library-wide-error';
import { ThumbnailCache } from './library/thumbnail-cache';
import { defaultDatabasePath, defaultDataDir, thumbnailDirFor } from './paths';
import { PlaceNames } from './places/place-names';
import { RelevanceCalibrations } from './search/relevance-calibrations';
import { SearchService } from './search/search-service';
import { openDatabase } from './store/database';
import { JobQueue } from './store/job-queue';
import { LibraryStore } from './store/library-store';
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
  const activeModel = new ActiveModel({
    db,
    store,
    models: modelStore,
    embedderOptions: {
      ...(config.providers ? { providers: config.providers } : {}),
      ...(config.imageThread ? { imageThread: config.imageThread } : {}),
    },
    write: libraryWrite,
  });
  const library = new LibraryService(indexerDeps, jobs, lease, {
    onProgress: (progress) => progressListeners.forEach((listener) => listener(progress)),
    onNotice: (message) => noticeListeners.forEach((listener) => listener(message)),
    onRunEnd: () => activeModel.afterIndexRun(),
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
  const relevance = new RelevanceCalibrations({
    store,
    termVectors: clusterStore,
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

  function indexerDeps(): IndexerDeps {
    const { model, embedder, vectors } = activeModel.forIndexing();
    return {
      store,
      jobs,
      vectors,
      embedder,
      imageSpec: model.spec.image,
      thumbnails,
      fingerprints: fingerprintStore,
      dropVectors: (photos) => activeModel.dropVectors(photos),
      refreshAttributes: (photoIds) => activeModel.refreshAttributes(photoIds),
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
    const { model, embedder, vectors } = activeModel.forSearch();
    return {
      modelId: model.spec.id,
      dim: model.spec.embeddingDim,
      vectors,
      textTower: embedder.hasTextTower ? embedder : null,
    };
  }

  function searchService(): SearchService {
    const engine = activeModel.forSearch();
    const { embedder, vectors, model } = engine;
    return new SearchService({
      store,
      facts,
      vectors,
      embedder,
      imageSpec: model.spec.image,
      relevance: () => relevance.for(engine),
    });
  }

  /** Near-duplicates in the search model's vectors ([Note: Duplicate threshold per model]). */
  function duplicates({ signal, onProgress }: DuplicatesRequest): Promise<DuplicateGroup[]> {
    const { model, vectors } = activeModel.forSearch();
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
            activeModel.dropVectors(photos);
            activeModel.refreshAttributes([...touched]); // a copy elsewhere now stands for its photo
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
      activeModel.forIndexing(); // fail fast with MODEL_MISSING before scanning
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
        activeModel.forIndexing(); // MODEL_MISSING before watching anything
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
        model && VectorIndex.exists(db, model.spec.id)
          ? activeModel.forIndexing().vectors.count()
          : 0;
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
        provider: model ? (activeModel.warm(model.spec.id)?.embedder.provider() ?? null) : null,
        switching: activeModel.switchingStatus(embedded, counts.photos),
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
        modelStore
          .list()
          .map((model) => ({ ...model, libraryVectors: activeModel.libraryVectors(model) })),
      async remove(id) {
        if (activeModel.searchStillUses(id)) {
          throw new PhotoseekError(
            'BAD_ARGUMENT',
            `Search still uses ${id} until the active model has embedded every photo; remove it after that.`,
          );
        }
        const known = modelStore.list().find((model) => model.id === id);
        if (!known) throw new PhotoseekError('NOT_FOUND', `Unknown model "${id}".`);
        const freed = activeModel.libraryVectors(known) ?? { photos: 0, bytes: 0 };
        if (!known.installed && freed.photos === 0) {
          throw new PhotoseekError(
            'NOT_FOUND',
            `${id} is not installed: there is nothing to remove.`,
          );
        }
        await modelStore.remove(id);
        await activeModel.release(id);
        libraryWrite(() =>
          db
            .transaction(() => {
              activeModel.dropIndex(id);
              clusterStore.drop(id);
              mapStore.drop(id);
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
        activeModel.beforeUse();
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
      await activeModel.dispose();
      db.close();
    },
  };
}
