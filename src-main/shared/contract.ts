import { z } from 'zod';
import { absolutePathProblem, runtimePathPlatform } from './absolute-path';
import type { EvalReport } from './eval-report';
import type {
  ClusterNode,
  ClusterProgress,
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
  PhotoOrientation,
  SearchHit,
  SimilarityMap,
  TimelinePage,
  UpdateCheckState,
} from './types';

/**
 * [Note: One contract] Every command the UI can send to the core is listed here once, with a
 * zod schema for its arguments and the type of its result. The preload exposes exactly these,
 * the main process validates arguments against these schemas before anything reaches the core,
 * the core host implements `CoreApi` (a missing handler is a type error), and the renderer's
 * client and its in-memory fake are typed by the same `CoreApi`.
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

/** A file or folder, absolute and in plain form ([Note: Paths across the boundary]). */
export const absolutePath = z
  .string()
  .min(1, { message: 'A path is required.', abort: true })
  .max(4096, { message: 'The path is longer than 4,096 characters.', abort: true })
  .superRefine((value, context) => {
    const problem = absolutePathProblem(value, runtimePathPlatform());
    if (problem) context.addIssue({ code: 'custom', message: problem });
  });
const photoId = z.number().int().positive();
/** One photo, or several ("more like these": a selection in the grid or a lasso on the map). */
const examplePhotos = z.union([
  photoId,
  z.array(photoId).min(1, 'Choose at least one photo.').max(1000, 'Choose at most 1,000 photos.'),
]);

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

const imageFormat = z.enum(imageFormats, {
  error: (issue) =>
    `"${String(issue.input)}" is not a photo format; use one of ${imageFormats.join(', ')}.`,
});

export const SearchOptionsSchema = z
  .object({
    limit: z.number().int().min(1).max(1000).optional(),
    folders: z.array(absolutePath).max(100).optional(),
    after: z.number().finite().optional(),
    before: z.number().finite().optional(),
    cameras: z.array(z.string().min(1).max(200)).min(1).max(100).optional(),
    formats: z.array(imageFormat).min(1).max(imageFormats.length).optional(),
    orientation: z
      .enum(photoOrientations, {
        error: (issue) =>
          `"${String(issue.input)}" is not an orientation; use ${photoOrientations.join(', ')}.`,
      })
      .optional(),
    hasLocation: z.boolean().optional(),
  })
  .strict();

/**
 * A combined query ("like this photo, but at night"): one or several library photos or the bytes
 * of a dropped image, plus words ("-word" terms subtract, [Note: Combined queries]).
 */
export const CombinedQuerySchema = z
  .object({
    photoIds: z
      .array(photoId)
      .min(1, 'Choose at least one photo.')
      .max(1000, 'Choose at most 1,000 photos.')
      .optional(),
    imageBytes: z
      .instanceof(Uint8Array)
      .refine((bytes) => bytes.length <= 64 * 1024 * 1024, 'image over 64 MB')
      .optional(),
    text: z.string().min(1).max(1000),
  })
  .strict()
  .refine((query) => (query.photoIds === undefined) !== (query.imageBytes === undefined), {
    message: 'Give either example photos or an image, not both or neither.',
  });

export const ClusterOptionsSchema = z
  .object({
    level: z.union([z.literal(1), z.literal(2)]).optional(),
    photosPerCluster: z.number().int().min(1).max(100_000).optional(),
  })
  .strict();

const modelId = z.string().min(1).max(200);

export const CompareModelsSchema = z
  .object({
    /** A labelled folder: one subfolder per category ([Note: Folders the user chose]). */
    folder: absolutePath,
    models: z
      .array(modelId)
      .min(1, 'Choose at least one model to compare.')
      .max(8, 'Compare at most 8 models at once.'),
    k: z.number().int().min(1).max(100).optional(),
  })
  .strict();

export const commandArgs = {
  'library.status': z.tuple([]),
  'folders.add': z.tuple([absolutePath]),
  'folders.remove': z.tuple([absolutePath]),
  'index.start': z.tuple([z.array(absolutePath).optional()]),
  'index.pause': z.tuple([]),
  'index.resume': z.tuple([]),
  'index.cancel': z.tuple([]),
  'search.text': z.tuple([z.string().min(1).max(1000), SearchOptionsSchema]),
  'search.imageBytes': z.tuple([
    z
      .instanceof(Uint8Array)
      .refine((bytes) => bytes.length <= 64 * 1024 * 1024, 'image over 64 MB'),
    SearchOptionsSchema,
  ]),
  'search.similar': z.tuple([examplePhotos, SearchOptionsSchema]),
  'search.combined': z.tuple([CombinedQuerySchema, SearchOptionsSchema]),
  'library.facets': z.tuple([]),
  'photos.get': z.tuple([photoId]),
  'photos.timeline': z.tuple([
    z
      .object({
        offset: z.number().int().min(0),
        limit: z.number().int().min(1).max(1000),
      })
      .strict(),
  ]),
  'explore.duplicates': z.tuple([]),
  'failures.list': z.tuple([]),
  'failures.retry': z.tuple([absolutePath]),
  'models.list': z.tuple([]),
  'models.download': z.tuple([modelId]),
  'models.use': z.tuple([modelId]),
  'models.add': z.tuple([absolutePath]),
  'models.remove': z.tuple([modelId]),
  'models.compare': z.tuple([CompareModelsSchema]),
  'explore.clusters': z.tuple([ClusterOptionsSchema]),
  'explore.map': z.tuple([]),
} as const;

export type CommandName = keyof typeof commandArgs;
export type CommandArgs<K extends CommandName> = z.infer<(typeof commandArgs)[K]>;

export interface CommandResults {
  'library.status': LibraryStatus;
  'folders.add': LibraryFolder;
  'folders.remove': void;
  'index.start': IndexReport;
  'index.pause': void;
  'index.resume': void;
  'index.cancel': void;
  'search.text': SearchHit[];
  'search.imageBytes': SearchHit[];
  'search.similar': SearchHit[];
  'search.combined': SearchHit[];
  'library.facets': LibraryFacets;
  'photos.get': PhotoDetails;
  'photos.timeline': TimelinePage;
  'explore.duplicates': DuplicateGroup[];
  'failures.list': Failure[];
  'failures.retry': void;
  'models.list': ModelSummary[];
  'models.download': ModelSummary;
  'models.use': ModelSummary;
  /** A local model folder, proven by a probe inference before it is accepted. */
  'models.add': ModelSummary;
  /** What was freed: the model's vectors in this library. */
  'models.remove': { photos: number; bytes: number };
  'models.compare': EvalReport;
  'explore.clusters': ClusterNode[];
  'explore.map': SimilarityMap;
}

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

/** The API as the renderer sees it: one async function per command. */
export type CoreApi = {
  [K in CommandName]: (...args: CommandArgs<K>) => Promise<CommandResults[K]>;
};

export const commandNames = Object.keys(commandArgs) as CommandName[];

const folderPurposes = ['photos', 'model', 'labelled'] as const satisfies readonly FolderPurpose[];

/**
 * Desktop actions handled by the main process itself: dialogs, the OS file manager, dragging a
 * photo out and the clipboard (by photo id), and the opt-in update check.
 */
export const shellArgs = {
  'shell.pickFolder': z.tuple([z.enum(folderPurposes).optional()]),
  'shell.showInFolder': z.tuple([absolutePath]),
  'shell.openPath': z.tuple([absolutePath]),
  'shell.trash': z.tuple([absolutePath]),
  'shell.fetchWebImage': z.tuple([z.string().min(1).max(8192)]),
  'shell.cancelWebImage': z.tuple([]),
  'shell.chooseImage': z.tuple([]),
  'shell.startDrag': z.tuple([photoId]),
  'shell.copyPath': z.tuple([photoId]),
  'shell.copyImage': z.tuple([photoId]),
  'shell.updateCheck': z.tuple([]),
  'shell.setUpdateCheck': z.tuple([z.boolean()]),
  'shell.openUpdatePage': z.tuple([]),
} as const;

export type ShellCommandName = keyof typeof shellArgs;

export interface ShellResults {
  /**
   * The chosen folder, or null when the dialog was cancelled. What it is for (photos by default,
   * a model folder, a labelled set to compare models on) titles the dialog and is the one
   * command that folder may then be used for ([Note: Folders the user chose]).
   */
  'shell.pickFolder': string | null;
  'shell.showInFolder': void;
  'shell.openPath': void;
  /** Moves an indexed file to the OS trash (recoverable there); live mode then forgets it. */
  'shell.trash': void;
  /** An image dragged from a web page, downloaded by main ([Note: Web images are fetched in main]). */
  'shell.fetchWebImage': { bytes: Uint8Array; name: string };
  /** Stops the download in progress, whose call then fails with CANCELLED. */
  'shell.cancelWebImage': void;
  /** An image file the user chose in the open dialog, read by main; null when cancelled. */
  'shell.chooseImage': { bytes: Uint8Array; name: string } | null;
  /** Drags the photo's library file out of the window (the thumbnail under the pointer). */
  'shell.startDrag': void;
  /** Puts the path of the photo's library file on the clipboard. */
  'shell.copyPath': void;
  /** Puts the photo's image on the clipboard. */
  'shell.copyImage': void;
  /** The opt-in update check: the setting, and a newer version when the last check found one. */
  'shell.updateCheck': UpdateCheckState;
  'shell.setUpdateCheck': UpdateCheckState;
  /** Opens the newer version's page in the browser. */
  'shell.openUpdatePage': void;
}

export type ShellApi = {
  [K in ShellCommandName]: (...args: z.infer<(typeof shellArgs)[K]>) => Promise<ShellResults[K]>;
};

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
