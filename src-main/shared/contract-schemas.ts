import { z } from 'zod';
import { absolutePathProblem, runtimePathPlatform } from './absolute-path';
import type { ArgsOf } from './command';
import type { coreCommands, shellCommands } from './contract';
import { imageFormats, photoOrientations } from './contract';
import { PhotoseekError } from './errors';
import type { FolderPurpose } from './types';

/**
 * [Note: Validated once, in main] The renderer is untrusted, so every argument it sends is
 * checked where it crosses into the trusted side: main's IPC handlers (electron/ipc.ts) parse each
 * call against its command's schema here, and nothing else does it again. The core host is
 * reached only from main, with arguments main checked or made itself (host-only commands, by
 * photo id or a checked path). These schemas are zod, so only main and the tests load this
 * module; the preload and the renderer load the zod-free contract ([Note: One contract]).
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
const photoIds = z
  .array(photoId)
  .min(1, 'Choose at least one photo.')
  .max(1000, 'Choose at most 1,000 photos.');
const imageBytes = z
  .instanceof(Uint8Array)
  .refine((bytes) => bytes.length <= 64 * 1024 * 1024, 'image over 64 MB');

const imageFormat = z.enum(imageFormats, {
  error: (issue) =>
    `"${String(issue.input)}" is not a photo format; use one of ${imageFormats.join(', ')}.`,
});

/**
 * [Note: Undefined is absent] The contract's optional fields are either absent or set
 * (exactOptionalPropertyTypes), yet a caller in plain JavaScript may well write
 * `{ limit: undefined }`, and IPC's structured clone keeps such a key. Main takes it for absent:
 * the field is optional here and the key is dropped, so the command gets the object its types
 * promise, and a person never sees "expected number, received undefined".
 */
function optionsObject<Shape extends z.ZodRawShape>(shape: Shape) {
  return z.strictObject(shape).transform((value) => withoutUndefined(value));
}

type DefinedFields<T> = { [K in keyof T]: Exclude<T[K], undefined> };

function withoutUndefined<T extends object>(value: T): DefinedFields<T> {
  // Only keys whose value is undefined go, so every value left is defined.
  return Object.fromEntries(
    Object.entries(value).filter(([, field]) => field !== undefined),
  ) as DefinedFields<T>;
}

export const SearchOptionsSchema = optionsObject({
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
});

/**
 * A combined query ("like this photo, but at night"): one or several library photos or the bytes
 * of a dropped image, plus words ("-word" terms subtract, [Note: Combined queries]).
 */
export const CombinedQuerySchema = optionsObject({
  photoIds: photoIds.optional(),
  imageBytes: imageBytes.optional(),
  text: z.string().min(1).max(1000),
}).refine((query) => (query.photoIds === undefined) !== (query.imageBytes === undefined), {
  message: 'Give either example photos or an image, not both or neither.',
});

export const ClusterOptionsSchema = optionsObject({
  level: z.union([z.literal(1), z.literal(2)]).optional(),
  photosPerCluster: z.number().int().min(1).max(100_000).optional(),
});

const modelId = z.string().min(1).max(200);

export const CompareModelsSchema = optionsObject({
  folder: absolutePath,
  models: z
    .array(modelId)
    .min(1, 'Choose at least one model to compare.')
    .max(8, 'Compare at most 8 models at once.'),
  k: z.number().int().min(1).max(100).optional(),
});

/** One schema per command of a table, producing exactly the command's arguments. */
type ArgSchemas<Table> = { [K in keyof Table]: z.ZodType<ArgsOf<Table[K]>> };

export const commandArgs = {
  'library.status': z.tuple([]),
  'folders.add': z.tuple([absolutePath]),
  'folders.remove': z.tuple([absolutePath]),
  'index.start': z.tuple([z.array(absolutePath).optional()]),
  'index.pause': z.tuple([]),
  'index.resume': z.tuple([]),
  'index.cancel': z.tuple([]),
  'search.text': z.tuple([z.string().min(1).max(1000), SearchOptionsSchema]),
  'search.imageBytes': z.tuple([imageBytes, SearchOptionsSchema]),
  'search.similar': z.tuple([
    z.union([photoId, photoIds], {
      error: 'Expected a photo id (a positive whole number) or a list of 1 to 1,000 of them.',
    }),
    SearchOptionsSchema,
  ]),
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
} satisfies ArgSchemas<typeof coreCommands>;

const folderPurposes = ['photos', 'model', 'labelled'] as const satisfies readonly FolderPurpose[];

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
} satisfies ArgSchemas<typeof shellCommands>;

/**
 * The arguments of a call to `command`, checked against its schema in `schemas`. Throws
 * BAD_ARGUMENT with a message a person can read for an unknown command or bad arguments.
 */
export function validArgs(
  schemas: Readonly<Record<string, z.ZodType<unknown[]>>>,
  command: string,
  args: unknown,
): unknown[] {
  if (!Object.hasOwn(schemas, command)) {
    throw new PhotoseekError('BAD_ARGUMENT', `Unknown command "${command}".`);
  }
  const parsed = schemas[command]!.safeParse(args);
  if (!parsed.success) {
    throw new PhotoseekError(
      'BAD_ARGUMENT',
      `Invalid arguments for ${command}: ${z.prettifyError(parsed.error)}`,
    );
  }
  return parsed.data;
}
