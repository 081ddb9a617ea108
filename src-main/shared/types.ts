/** Plain data shared by core, CLI, main process and renderer. No runtime imports. */

export type PhotoId = number;

/** Content formats recognised by magic bytes (never by extension). */
export type ImageFormat =
  'jpeg' | 'png' | 'webp' | 'avif' | 'gif' | 'tiff' | 'heic' | 'bmp' | 'jxl' | 'raw';

export interface GpsPosition {
  latitude: number;
  longitude: number;
}

/** Metadata read once at index time. Times are milliseconds since the epoch (UTC). */
export interface PhotoMetadata {
  width: number;
  height: number;
  format: ImageFormat;
  takenAt: number | null;
  camera: string | null;
  gps: GpsPosition | null;
}

export interface LibraryFolder {
  id: number;
  path: string;
  addedAt: number;
  /** False while the folder's root is missing (unmounted drive, network share). */
  online: boolean;
  fileCount: number;
  indexedCount: number;
}

/** The pipeline step a file failed at ([Note: Nothing stops the queue] in docs/reliability.md). */
export type FailureStage = 'read' | 'hash' | 'decode' | 'thumbnail' | 'embed' | 'store';

export interface Failure {
  path: string;
  stage: FailureStage;
  code: string;
  message: string;
  attempts: number;
  lastTry: number;
}

/** Filters are applied inside the vector query, so a filtered top-k is exact. */
export interface SearchFilters {
  /** Absolute library folder paths; a photo matches if its first file (the one shown) lies under one. */
  folders?: string[];
  /** Inclusive lower bound on taken_at (ms since epoch). Photos without a date never match a date filter. */
  after?: number;
  /** Exclusive upper bound on taken_at (ms since epoch). */
  before?: number;
  /** Camera names as the library lists them (`library.facets`), exact; a photo matches any one. */
  cameras?: string[];
  /** Content formats; a photo matches any one. */
  formats?: ImageFormat[];
  /** By display size (after EXIF orientation): wider, taller, or as wide as tall. */
  orientation?: PhotoOrientation;
  /** true: only photos with a GPS position; false: only photos without one. */
  hasLocation?: boolean;
}

/**
 * An example and words in one query ("like this, but at night"): library photos or the bytes of
 * an image, and text with optional "-word" terms.
 */
export interface CombinedQuery {
  photoIds?: PhotoId[];
  imageBytes?: Uint8Array;
  text: string;
}

export type PhotoOrientation = 'landscape' | 'portrait' | 'square';

/** What the filter bar offers: the values the library holds, with how many photos have each. */
export interface LibraryFacets {
  photos: number;
  /** Most photos first; photos without a camera name are not listed. */
  cameras: { camera: string; count: number }[];
  formats: { format: ImageFormat; count: number }[];
  orientations: { orientation: PhotoOrientation; count: number }[];
  withLocation: number;
  /** The earliest and latest capture time (ms since epoch), or null when no photo has a date. */
  dateSpan: { first: number; last: number } | null;
}

export interface SearchOptions extends SearchFilters {
  limit?: number;
}

/** A library photo as grids and the photo view show it: its first file and its facts. */
export interface PhotoSummary {
  photoId: PhotoId;
  path: string;
  folder: string;
  width: number;
  height: number;
  takenAt: number | null;
  camera: string | null;
}

/** How good a search hit is for its model ([Note: Relevance cut-off] in core/search/relevance.ts). */
export type Relevance = 'strong' | 'good' | 'weak';

export interface SearchHit extends PhotoSummary {
  /** Cosine similarity in [-1, 1]; higher is closer. */
  score: number;
  /** Set on the hits of a search (text, image, similar); absent where photos are listed otherwise. */
  relevance?: Relevance;
}

export interface TimelinePageRequest {
  /** Photos to skip from the newest. */
  offset: number;
  /** Photos in the page, 1–1,000. */
  limit: number;
}

/** One page of the home timeline (`photos.timeline`), newest first. */
export interface TimelinePage {
  /** Photos in the whole timeline (the months' counts add up to it). */
  total: number;
  /**
   * Every month of the timeline with its days, newest first, so the UI can lay out rows it has
   * not fetched.
   */
  months: TimelineMonth[];
  /** The page asked for: `offset` to `offset + limit` of the timeline. */
  photos: PhotoSummary[];
}

export interface TimelineMonth {
  /** "YYYY-MM" in UTC ([Note: Capture time]: dates without a zone are stored as if UTC). */
  month: string;
  count: number;
  /** The month's days that have photos, newest first; their counts add up to the month's. */
  days: TimelineDay[];
}

export interface TimelineDay {
  /** "YYYY-MM-DD" in UTC, like the month. */
  day: string;
  count: number;
}

export type IndexPhase = 'scanning' | 'indexing' | 'done';

export interface IndexProgress {
  phase: IndexPhase;
  /** Files examined so far (indexed, unchanged or failed). */
  done: number;
  total: number;
  indexed: number;
  failed: number;
  /** Images per second over the recent window; 0 before the first batch. */
  rate: number;
  /** Seconds left at the current rate; null while unknown. */
  etaSeconds: number | null;
  currentFile: string | null;
  provider: string | null;
}

export interface IndexReport {
  scanned: number;
  indexed: number;
  unchanged: number;
  failed: number;
  removed: number;
  seconds: number;
}

export interface LibraryStatus {
  databasePath: string;
  folders: LibraryFolder[];
  photos: number;
  files: number;
  embedded: number;
  failures: number;
  /** Files waiting in the indexing queue (new, changed, retries). */
  queued: number;
  /** Indexing is paused by the user; the queue is kept. */
  paused: boolean;
  model: ModelSummary | null;
  /** Execution provider of the loaded model (e.g. 'cpu', 'webgpu'); null until it is loaded. */
  provider: string | null;
  /**
   * After `models use`: search keeps answering with the previous model (`searchModel`) until the
   * active one has embedded every photo ([Note: Switching models]); null otherwise.
   */
  switching: {
    searchModel: string;
    /** Whether the model search still uses can search by words. */
    textSearch: boolean;
    embedded: number;
    total: number;
  } | null;
}

export interface ModelLicenceSummary {
  name: string;
  url: string | null;
  /** False: research / non-commercial use only. */
  commercialUse: boolean;
  note: string | null;
}

export type ModelFamily = 'clip' | 'siglip' | 'mobileclip' | 'image-only';

export interface ModelSummary {
  id: string;
  name: string;
  family: ModelFamily;
  embeddingDim: number;
  /** False for an image-only model: no text search, find-similar and dropped images only. */
  textSearch: boolean;
  /** The weights' licence (registry models; local folders when their spec names one). */
  licence: ModelLicenceSummary | null;
  /** Whether all files are present and verified in the user data folder. */
  installed: boolean;
  active: boolean;
  source: 'registry' | 'local';
  /** Total download size in bytes (registry models). */
  bytes: number | null;
  /**
   * This model's vectors in the library (kept after switching away until `models remove`):
   * photos embedded and about how many bytes they take; null when it has none.
   */
  libraryVectors: { photos: number; bytes: number } | null;
}

export interface DownloadProgress {
  file: string;
  receivedBytes: number;
  totalBytes: number;
}

export interface PhotoDetails {
  photoId: PhotoId;
  /** Every path that holds this content (exact duplicates share one photo). */
  paths: string[];
  folder: string;
  format: ImageFormat;
  width: number;
  height: number;
  bytes: number;
  takenAt: number | null;
  camera: string | null;
  gps: GpsPosition | null;
  /** The nearest town to `gps`, "Town, Region, Country" ([Note: Place names offline]); null without one. */
  place: string | null;
}

/** A photo's file that is still the file indexed ([Note: Verified files]): safe to serve or open. */
export interface VerifiedPhotoFile {
  path: string;
  /** Size and mtime (whole ms) as indexed; the file is opened only while it still has them. */
  size: number;
  mtimeMs: number;
  format: ImageFormat;
}

/** One copy in a group of duplicates (`explore.duplicates`). */
export interface DuplicatePhoto {
  photoId: PhotoId;
  path: string;
  width: number;
  height: number;
  /** File size in bytes. */
  bytes: number;
  takenAt: number | null;
  camera: string | null;
  hasGps: boolean;
  /** Cosine similarity to the group's first photo (its seed); 1 for exact copies. */
  similarity: number;
}

/**
 * 'exact': the same content at several paths (one photo, several files); 'similar': different
 * files of the same shot (re-saved, resized, cropped, recoloured, a burst).
 */
export type DuplicateKind = 'exact' | 'similar';

export interface DuplicateGroup {
  kind: DuplicateKind;
  photos: DuplicatePhoto[];
  /** The copy to keep. */
  suggested: PhotoId;
  /** Why that copy, in words ("largest resolution (4000×3000)"). */
  reason: string;
}

export interface DuplicatesProgress {
  /**
   * 'fingerprinting': reading thumbnails of photos not yet fingerprinted (once per photo);
   * 'calibrating': learning the model's same-shot thresholds (once per model); 'comparing': pairs.
   */
  phase: 'fingerprinting' | 'calibrating' | 'comparing';
  done: number;
  total: number;
}

/**
 * A visual cluster of the library (explore.clusters): its name, how many photos it holds, its
 * photos most typical first (all of them, or the first `photosPerCluster` when asked; `score` is
 * the cosine to the centroid of the top cluster the photo is in), and its sub-clusters (empty at
 * level 1 and for clusters too small to split).
 */
export interface ClusterNode {
  name: string;
  size: number;
  photos: SearchHit[];
  children: ClusterNode[];
}

export interface ClusterOptions {
  /** 1: top clusters only; 2 (default): top clusters with their sub-clusters. */
  level?: 1 | 2;
  /** At most this many photos per cluster (default: all). */
  photosPerCluster?: number;
}

/** While clusters are computed: reading vectors, k-means, naming (vocabulary), saving. */
export interface ClusterProgress {
  phase: 'reading' | 'clustering' | 'naming' | 'saving';
  done: number;
  total: number;
}

/** Folder the user picked, and what for (the dialog's title; the one command it may serve). */
export type FolderPurpose = 'photos' | 'model' | 'labelled';

/** A model comparison's progress: embedding the labelled folder, then scoring, model by model. */
export interface ModelCompareProgress {
  modelId: string;
  /** Which of the compared models this is (0-based) and how many there are. */
  modelIndex: number;
  models: number;
  phase: 'embedding' | 'scoring';
  /** Photos embedded so far in the 'embedding' phase (0 of the total while scoring). */
  done: number;
  total: number;
}

/**
 * The similarity map (explore.map): every photo of the search model at a 2-D position in [-1, 1]
 * (similar photos close together), as parallel arrays to keep 100,000 photos compact. `cluster[i]`
 * indexes `clusters` (the top-level visual clusters, biggest first), -1 for a photo in none yet.
 */
export interface SimilarityMap {
  photoIds: number[];
  x: number[];
  y: number[];
  cluster: number[];
  clusters: MapCluster[];
}

/** A top-level cluster on the map: its name, size and where its label goes (median position). */
export interface MapCluster {
  name: string;
  size: number;
  x: number;
  y: number;
}

/** While the map is computed: the clusters first (when stale), then the layout. */
export interface MapProgress {
  phase: 'clusters' | 'reading' | 'fitting' | 'placing' | 'saving';
  done: number;
  total: number;
}

/** The opt-in update check ([Note: Opt-in update check]): the setting and what it last found. */
export interface UpdateCheckState {
  enabled: boolean;
  /** The one host the check asks. */
  host: string;
  currentVersion: string;
  /** When it last asked (ms since 1970); null: never, or since it was turned on. */
  lastCheck: number | null;
  /** A newer version and its page; null when this one is the latest or nothing is known. */
  available: { version: string; url: string } | null;
  /** Why the last check failed, one line; null when it did not. */
  problem: string | null;
}
