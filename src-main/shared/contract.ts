import { z } from 'zod';
import type {
  DownloadProgress,
  Failure,
  IndexProgress,
  IndexReport,
  LibraryFolder,
  LibraryStatus,
  ModelSummary,
  PhotoDetails,
  SearchHit,
} from './types';

/**
 * [Note: One contract] Every command the UI can send to the core is listed here once, with a
 * zod schema for its arguments and the type of its result. The preload exposes exactly these,
 * the main process validates arguments against these schemas before anything reaches the core,
 * the core host implements `CoreApi` (a missing handler is a type error), and the renderer's
 * client and its in-memory fake are typed by the same `CoreApi`.
 */

const absolutePath = z.string().min(1).max(4096);
const photoId = z.number().int().positive();

export const SearchOptionsSchema = z
  .object({
    limit: z.number().int().min(1).max(1000).optional(),
    folders: z.array(absolutePath).max(100).optional(),
    after: z.number().finite().optional(),
    before: z.number().finite().optional(),
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
  'search.imageFile': z.tuple([absolutePath, SearchOptionsSchema]),
  'search.imageBytes': z.tuple([
    z
      .instanceof(Uint8Array)
      .refine((bytes) => bytes.length <= 64 * 1024 * 1024, 'image over 64 MB'),
    SearchOptionsSchema,
  ]),
  'search.similar': z.tuple([photoId, SearchOptionsSchema]),
  'photos.get': z.tuple([photoId]),
  'failures.list': z.tuple([]),
  'failures.retry': z.tuple([absolutePath]),
  'models.list': z.tuple([]),
  'models.download': z.tuple([z.string().min(1).max(200)]),
  'models.use': z.tuple([z.string().min(1).max(200)]),
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
  'search.imageFile': SearchHit[];
  'search.imageBytes': SearchHit[];
  'search.similar': SearchHit[];
  'photos.get': PhotoDetails;
  'failures.list': Failure[];
  'failures.retry': void;
  'models.list': ModelSummary[];
  'models.download': ModelSummary;
  'models.use': ModelSummary;
}

/** Events the core pushes to the UI. */
export interface CoreEvents {
  'index.progress': IndexProgress;
  'models.downloadProgress': DownloadProgress;
  /** Something the user should know that is not an error: a folder offline, polling fallback. */
  'library.notice': { message: string };
}
export type EventName = keyof CoreEvents;
export const eventNames: readonly EventName[] = [
  'index.progress',
  'models.downloadProgress',
  'library.notice',
];

/** The API as the renderer sees it: one async function per command. */
export type CoreApi = {
  [K in CommandName]: (...args: CommandArgs<K>) => Promise<CommandResults[K]>;
};

export const commandNames = Object.keys(commandArgs) as CommandName[];

/** Desktop actions handled by the main process itself (dialogs, the OS file manager). */
export const shellArgs = {
  'shell.pickFolder': z.tuple([]),
  'shell.showInFolder': z.tuple([absolutePath]),
  'shell.openPath': z.tuple([absolutePath]),
} as const;

export type ShellCommandName = keyof typeof shellArgs;

export interface ShellResults {
  /** The chosen folder, or null when the dialog was cancelled. */
  'shell.pickFolder': string | null;
  'shell.showInFolder': void;
  'shell.openPath': void;
}

export type ShellApi = {
  [K in ShellCommandName]: (...args: z.infer<(typeof shellArgs)[K]>) => Promise<ShellResults[K]>;
};

/**
 * What the preload puts on `window.photoseek`: the core commands, the shell commands, typed
 * event subscriptions that return an unsubscribe function, and the URLs of thumbnails and
 * originals (served by the `thumb://` / `photo://` protocol for indexed photo ids only).
 */
export interface PhotoseekBridge {
  core: CoreApi;
  shell: ShellApi;
  on<E extends EventName>(event: E, listener: (payload: CoreEvents[E]) => void): () => void;
  thumbnailUrl(photoId: number): string;
  photoUrl(photoId: number): string;
}
