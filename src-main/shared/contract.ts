import { command, commandNamesOf } from './command';
import type { ApiOf, ArgsOf, ResultOf } from './command';
import type { EvalReport } from './eval-report';
import type {
  ClusterNode,
  ClusterOptions,
  ClusterProgress,
  CombinedQuery,
  DownloadProgress,
  DuplicateGroup,
  DuplicatesProgress,
  FolderPurpose,
  ModelCompareProgress,
  Failure,
  IndexProgress,
  ImageFormat,
  IndexReport,
  LibraryFacets,
  LibraryFolder,
  LibraryStatus,
  MapProgress,
  ModelSummary,
  PhotoDetails,
  PhotoId,
  PhotoOrientation,
  SearchHit,
  SearchOptions,
  SimilarityMap,
  TimelinePage,
  TimelinePageRequest,
  UpdateCheckState,
} from './types';

/**
 * [Note: One contract] Every command the UI can send is listed here once, with the types of its
 * arguments and result ([Note: Commands as types]); this module holds no validation library, so
 * the preload that loads it stays small. The argument schemas are in shared/contract-schemas.ts,
 * one per command (a missing or mistyped one is a type error), and main checks every call
 * against them before anything reaches the core ([Note: Validated once, in main]). The preload
 * exposes exactly these commands, the core host implements them, and the renderer's client and
 * its in-memory fake are typed by the same `CoreApi`.
 *
 * [Note: No file reads on the renderer's word] Apart from the folder that `folders.add` makes a
 * library folder (one the user chose in the folder picker or dropped on the window, as main
 * checks: [Note: Folders the user chose]), no command makes the core read a file that the
 * renderer names: a search by image takes the image's bytes (a drop is read in the renderer,
 * [Note: Dropped images]), photos are named by id, and any other path is only looked up in the
 * library (a listed failure, a library folder). Searching by an image file is the CLI's,
 * which calls the core directly: as a command, it answered "not an image" for /etc/shadow and
 * found pictures anywhere on disk, an oracle for the content of any file.
 */

/** Every content format the library records (`ImageFormat`), for filters. */
export const imageFormats = [
  'jpeg',
  'png',
  'webp',
  'avif',
  'gif',
  'tiff',
  'heic',
  'bmp',
  'jxl',
  'raw',
] as const satisfies readonly ImageFormat[];
export const photoOrientations = [
  'landscape',
  'portrait',
  'square',
] as const satisfies readonly PhotoOrientation[];

/** The commands of the core, as the renderer may send them. */
export const coreCommands = {
  'library.status': command<[], LibraryStatus>(),
  'folders.add': command<[folder: string], LibraryFolder>(),
  'folders.remove': command<[folder: string]>(),
  'index.start': command<[folders?: string[] | undefined], IndexReport>(),
  'index.pause': command(),
  'index.resume': command(),
  'index.cancel': command(),
  'search.text': command<[query: string, options: SearchOptions], SearchHit[]>(),
  'search.imageBytes': command<[bytes: Uint8Array, options: SearchOptions], SearchHit[]>(),
  /** Photos like one library photo, or like several ("more like these": a selection, a lasso). */
  'search.similar': command<[photos: PhotoId | PhotoId[], options: SearchOptions], SearchHit[]>(),
  'search.combined': command<[query: CombinedQuery, options: SearchOptions], SearchHit[]>(),
  'library.facets': command<[], LibraryFacets>(),
  'photos.get': command<[photoId: PhotoId], PhotoDetails>(),
  'photos.timeline': command<[request: TimelinePageRequest], TimelinePage>(),
  'explore.duplicates': command<[], DuplicateGroup[]>(),
  'failures.list': command<[], Failure[]>(),
  'failures.retry': command<[file: string]>(),
  'models.list': command<[], ModelSummary[]>(),
  'models.download': command<[id: string], ModelSummary>(),
  'models.use': command<[id: string], ModelSummary>(),
  /** A local model folder, proven by a probe inference before it is accepted. */
  'models.add': command<[folder: string], ModelSummary>(),
  /** What was freed: the model's vectors in this library. */
  'models.remove': command<[id: string], { photos: number; bytes: number }>(),
  'models.compare': command<[request: CompareModelsOptions], EvalReport>(),
  'explore.clusters': command<[options: ClusterOptions], ClusterNode[]>(),
  'explore.map': command<[], SimilarityMap>(),
};

/** Compare models: installed models side by side on a labelled folder ([Note: Folders the user chose]). */
export interface CompareModelsOptions {
  /** A labelled folder: one subfolder per category. */
  folder: string;
  /** Installed model ids, compared in this order (1–8). */
  models: string[];
  /** The k of find-similar mAP@k (default 5). */
  k?: number;
}

export type CommandName = keyof typeof coreCommands;
export type CommandArgs<K extends CommandName> = ArgsOf<(typeof coreCommands)[K]>;
export type CommandResults = { [K in CommandName]: ResultOf<(typeof coreCommands)[K]> };
/** The API as the renderer sees it: one async function per command. */
export type CoreApi = ApiOf<typeof coreCommands>;
export const commandNames = commandNamesOf(coreCommands);

/**
 * Desktop actions handled by the main process itself: dialogs, the OS file manager, dragging a
 * photo out and the clipboard (by photo id), and the opt-in update check.
 */
export const shellCommands = {
  /**
   * The chosen folder, or null when the dialog was cancelled. What it is for (photos by default,
   * a model folder, a labelled set to compare models on) titles the dialog and is the one
   * command that folder may then be used for ([Note: Folders the user chose]).
   */
  'shell.pickFolder': command<[purpose?: FolderPurpose | undefined], string | null>(),
  'shell.showInFolder': command<[file: string]>(),
  'shell.openPath': command<[file: string]>(),
  /** Moves an indexed file to the OS trash (recoverable there); live mode then forgets it. */
  'shell.trash': command<[file: string]>(),
  /** An image dragged from a web page, downloaded by main ([Note: Web images are fetched in main]). */
  'shell.fetchWebImage': command<[url: string], { bytes: Uint8Array; name: string }>(),
  /** Stops the download in progress, whose call then fails with CANCELLED. */
  'shell.cancelWebImage': command(),
  /** An image file the user chose in the open dialog, read by main; null when cancelled. */
  'shell.chooseImage': command<[], { bytes: Uint8Array; name: string } | null>(),
  /** Drags the photo's library file out of the window (the thumbnail under the pointer). */
  'shell.startDrag': command<[photoId: PhotoId]>(),
  /** Puts the path of the photo's library file on the clipboard. */
  'shell.copyPath': command<[photoId: PhotoId]>(),
  /** Puts the photo's image on the clipboard. */
  'shell.copyImage': command<[photoId: PhotoId]>(),
  /** The opt-in update check: the setting, and a newer version when the last check found one. */
  'shell.updateCheck': command<[], UpdateCheckState>(),
  'shell.setUpdateCheck': command<[enabled: boolean], UpdateCheckState>(),
  /** Opens the newer version's page in the browser. */
  'shell.openUpdatePage': command(),
};

export type ShellCommandName = keyof typeof shellCommands;
export type ShellApi = ApiOf<typeof shellCommands>;
export const shellCommandNames = commandNamesOf(shellCommands);

/** Events the core pushes to the UI. */
export interface CoreEvents {
  'index.progress': IndexProgress;
  'models.downloadProgress': DownloadProgress;
  /** Something the user should know that is not an error: a folder offline, polling fallback. */
  'library.notice': { message: string };
  /** A dropped web image downloading in main (shell.fetchWebImage); total null when unknown. */
  'webImage.progress': { received: number; total: number | null };
  /** Progress of this client's explore.duplicates call (calibration, then comparing). */
  'explore.duplicatesProgress': DuplicatesProgress;
  /** While an explore.clusters call computes clusters: its own progress. */
  'explore.clusterProgress': ClusterProgress;
  /** While a models.compare call embeds and scores: which model, which phase, how far. */
  'models.compareProgress': ModelCompareProgress;
  /** While an explore.map call computes the map: its own progress. */
  'explore.mapProgress': MapProgress;
}
export type EventName = keyof CoreEvents;
export const eventNames: readonly EventName[] = [
  'index.progress',
  'models.downloadProgress',
  'library.notice',
  'webImage.progress',
  'explore.duplicatesProgress',
  'explore.clusterProgress',
  'models.compareProgress',
  'explore.mapProgress',
];

/**
 * What the preload puts on `window.photoseek`: the core commands, the shell commands, typed
 * event subscriptions that return an unsubscribe function, the URLs of thumbnails and
 * originals (served by the `thumb://` / `photo://` protocol for indexed photo ids only), and
 * the path of a dropped file or folder.
 */
export interface PhotoseekBridge {
  core: CoreApi;
  shell: ShellApi;
  on<E extends EventName>(event: E, listener: (payload: CoreEvents[E]) => void): () => void;
  thumbnailUrl(photoId: number): string;
  photoUrl(photoId: number): string;
  /** Where a dropped file or folder is on disk; '' for a File made by script (or in a browser). */
  pathForFile(file: File): string;
}
