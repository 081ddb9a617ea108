import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { Core, CoreConfig } from '../core';
import { createCore } from '../core';
import { createModelStore } from '../core/models/model-store';
import { defaultDatabasePath, defaultDataDir } from '../core/paths';
import { assertQueryLength } from '../core/search/query-text';
import { damagedDatabase, isDamageError } from '../core/store/database';
import { repairDatabase } from '../core/store/repair';
import { PhotoseekError, toErrorData } from '../shared/errors';
import type { CombinedQuery, SearchOptions } from '../shared/types';
import { assertCommandLineFits } from './command-line-size';
import { defaultRegistryModel, loadRegistry } from '../core/models/registry';
import { registerEvalCommand } from './eval-command';
import { addFilterOptions, toFilters, type FilterFlags } from './filter-options';
import {
  formatDuplicates,
  formatClusters,
  formatFacets,
  formatFailures,
  formatHits,
  formatMegabytes,
  formatModels,
  formatRepair,
  formatReport,
  formatStatus,
} from './format';
import { joinQueryWords, protectNegativeTerms } from './negative-terms';
import {
  createClusterProgressBar,
  createDownloadProgressBar,
  createDuplicatesProgressBar,
  createIndexProgressBar,
} from './progress-bar';

interface GlobalOptions {
  db?: string;
  dataDir?: string;
  json?: boolean;
}

interface QueryOptions extends FilterFlags {
  limit: number;
  folder?: string[];
  after?: number;
  before?: number;
  minScore?: number;
  all?: boolean;
}

const program = new Command('photoseek')
  .description('Search your photos by what is in them. Everything stays on this computer.')
  .option('--db <path>', 'library database file (default: library.db in the data folder)')
  .option(
    '--data-dir <path>',
    'data folder for models and the default library (env PHOTOSEEK_DATA_DIR)',
  )
  .option('--json', 'print machine-readable JSON on stdout')
  .showHelpAfterError('(run `photoseek --help` for usage)')
  .exitOverride()
  .configureOutput({
    outputError: (message, write) => write(`photoseek: ${message.replace(/^error: /, '')}`),
  })
  // Arguments are parsed (and a too-long query refused with its own message) before this runs.
  .hook('preAction', () => assertCommandLineFits());

program
  .command('index')
  .description(
    'add folders to the library (if new) and index them; with no folder, re-index every library folder',
  )
  .argument('[folders...]', 'photo folders')
  .action(async (folders: string[]) =>
    withCore(async (core) => {
      for (const folder of folders) await core.addFolder(folder);
      const controller = new AbortController();
      const stop = (): void => controller.abort();
      process.once('SIGINT', stop);
      const bar = createIndexProgressBar();
      const unsubscribe = core.onNotice((message) => bar.log(message));
      try {
        const report = await core.index({
          ...(folders.length > 0 ? { folders } : {}),
          signal: controller.signal,
          onProgress: (progress) => bar.update(progress),
        });
        bar.stop();
        print(report, formatReport(report));
      } catch (error) {
        bar.stop();
        if (controller.signal.aborted) {
          throw new PhotoseekError(
            'CANCELLED',
            'Stopped. Finished photos are saved; run `photoseek index` again to continue.',
          );
        }
        throw error;
      } finally {
        unsubscribe();
        process.off('SIGINT', stop);
      }
    }),
  );

program
  .command('watch')
  .description(
    'keep the library in step with the disk: index what changed, then follow new, changed, moved and deleted files until Ctrl-C',
  )
  .action(async () =>
    withCore(async (core) => {
      const bar = createIndexProgressBar();
      const unsubscribe = [
        core.onProgress((progress) => {
          if (progress.phase === 'done') {
            bar.stop();
            process.stderr.write(
              `Up to date: ${progress.indexed} indexed, ${progress.failed} failed. Watching for changes (Ctrl-C to stop)…\n`,
            );
          } else {
            bar.update(progress);
          }
        }),
        core.onNotice((message) => process.stderr.write(`${message}\n`)),
      ];
      const stop = core.watch();
      await new Promise<void>((resolve) => process.once('SIGINT', resolve));
      bar.stop();
      unsubscribe.forEach((off) => off());
      await stop();
      process.stderr.write('Stopped watching. Queued work is kept for next time.\n');
    }),
  );

addQueryOptions(
  program
    .command('search')
    .description(
      'find photos matching a description; "-word" excludes a term, e.g. beach -people -"parking lot" ' +
        '(words after -- are never read as options: photoseek search -n 5 -- beach -people)',
    )
    .argument('<text...>', 'what to look for (several words are one query)', collectQueryWords)
    .addOption(
      new Option(
        '--like <image-file|photo-id>',
        'photos like this image or #id, refined by the words ("at night"); repeat for several library photos',
      ).argParser(collectExamples),
    ),
).action(async (words: string[], options: QueryOptions & { like?: string[] }) =>
  withCore(async (core) => {
    const text = joinQueryWords(words);
    const searchOptions = toSearchOptions(options);
    const found = options.like
      ? await core.searchCombined(await combinedExample(core, options.like, text), searchOptions)
      : await core.search(text, searchOptions);
    const hits = filterByScore(found, options);
    print(hits, formatHits(hits, { all: options.all === true, query: `"${text}"` }));
  }),
);

addQueryOptions(
  program
    .command('similar')
    .description(
      'find photos similar to an image file (in the library or not), to a library photo id, or to several ids at once',
    )
    .argument(
      '<image-file|photo-id...>',
      'an image file, or the #id shown by search (several: more like these)',
    ),
).action(async (targets: string[], options: QueryOptions) =>
  withCore(async (core) => {
    const searchOptions = toSearchOptions(options);
    const photoIds = targets.map((target) => resolvePhotoId(core, target));
    const [first] = targets;
    if (targets.length === 1 && photoIds[0] === null) {
      const hits = await core.searchByImage(first!, searchOptions);
      const shown = filterByScore(hits, options);
      print(shown, formatHits(shown, { all: options.all === true, query: first! }));
      return;
    }
    const notInLibrary = targets.find((_target, i) => photoIds[i] === null);
    if (notInLibrary !== undefined) {
      throw new PhotoseekError(
        'BAD_ARGUMENT',
        `${notInLibrary} is not in the library: several examples must be library photos (one outside image works alone).`,
      );
    }
    const hits = await core.similar(photoIds as number[], searchOptions);
    const shown = filterByScore(hits, options);
    print(shown, formatHits(shown, { all: options.all === true, query: targets.join(', ') }));
  }),
);

program
  .command('facets')
  .description(
    'what the search filters can choose from: cameras, formats and orientations with their photo counts, ' +
      'how many photos have a location, the date span',
  )
  .action(async () =>
    withCore((core) => {
      const facets = core.facets();
      print(facets, formatFacets(facets));
      return Promise.resolve();
    }),
  );

program
  .command('duplicates')
  .description(
    'list exact copies and groups of the same shot (resized, re-saved, edited, bursts), with the copy to keep; deletes nothing',
  )
  .action(async () =>
    withCore(async (core) => {
      const bar = createDuplicatesProgressBar();
      const groups = await core
        .duplicates({ onProgress: (progress) => bar.update(progress) })
        .finally(() => bar.stop());
      print(groups, formatDuplicates(groups));
    }),
  );

program
  .command('clusters')
  .description(
    'visual clusters of the library in two levels, with names (computed and saved on first use, ' +
      'again after the library changed by a fifth; new photos join the nearest cluster). ' +
      '--json lists every photo of each cluster, most typical first: ' +
      '[{name, size, photos: [{photoId, path, score, …}], children}]',
  )
  .addOption(
    new Option('--level <n>', '1: top clusters only; 2: with their sub-clusters')
      .choices(['1', '2'])
      .default('2'),
  )
  .action(async (options: { level: '1' | '2' }) =>
    withCore(async (core) => {
      const bar = createClusterProgressBar();
      try {
        const clusters = await core.clusters({
          level: options.level === '1' ? 1 : 2,
          onProgress: (progress) => bar.update(progress),
        });
        bar.stop();
        print(clusters, formatClusters(clusters));
      } finally {
        bar.stop();
      }
    }),
  );

program
  .command('status')
  .description('library folders, photo counts, failures and the active model')
  .action(async () =>
    withCore(
      async (core) => {
        const status = core.status();
        print(status, formatStatus(status, status.model ? undefined : activeModelProblem()));
      },
      { checkDatabase: 'always' },
    ),
  );

program
  .command('repair')
  .description(
    'rebuild a damaged library database from what is intact (the damaged file is kept beside it)',
  )
  .action(() => {
    const report = repairDatabase(databasePath());
    print(report, formatRepair(report));
  });

program
  .command('failures')
  .description('files that could not be read, with the reason')
  .action(async () =>
    withCore(async (core) => {
      const failures = core.failures();
      print(failures, formatFailures(failures));
    }),
  );

program
  .command('remove')
  .description('remove a folder from the library (the photos on disk are not touched)')
  .argument('<folder>', 'a library folder')
  .action(async (folder: string) =>
    withCore(async (core) => {
      await core.removeFolder(folder);
      print({ removed: folder }, `Removed ${folder} from the library.`);
    }),
  );

const models = program
  .command('models')
  .description('list, download, add or choose the embedding model');
models
  .command('list')
  .description('models in the registry and added folders')
  .action(async () =>
    withCore(async (core) => {
      const list = core.models.list();
      print(list, formatModels(list));
    }),
  );
models
  .command('download')
  .description(
    'download a model once (checksum-verified); the default CLIP model when no id is given',
  )
  .argument('[id]', 'model id from `photoseek models list` (default: the first one listed)')
  .action(async (id: string | undefined) =>
    withCore(async (core) => {
      const bar = createDownloadProgressBar();
      try {
        // The registry's first entry is the default ([Note: Registry file]).
        const chosen = id ?? defaultRegistryModel(loadRegistry()).id;
        const model = await core.models.download(chosen, {
          onProgress: (progress) => bar.update(progress),
        });
        bar.stop();
        print(model, `Installed ${model.name} (${model.id}).`);
      } finally {
        bar.stop();
      }
    }),
  );
models
  .command('add')
  .description('register a local model folder (with photoseek-model.json) for offline use')
  .argument('<dir>', 'model folder')
  .action(async (dir: string) =>
    withCore(async (core) => {
      const model = await core.models.add(dir);
      print(
        model,
        `Added ${model.name} (${model.id})${model.active ? ' and made it active' : ''}.`,
      );
    }),
  );
models
  .command('remove')
  .description(
    'uninstall a model that is not in use and delete its vectors from the library (local model folders stay on disk)',
  )
  .argument('<id>', 'model id from `photoseek models list`')
  .action(async (id: string) =>
    withCore(async (core) => {
      const freed = await core.models.remove(id);
      print(
        { id, ...freed },
        `Removed ${id}${freed.photos > 0 ? ` and its vectors of ${freed.photos} photos (about ${formatMegabytes(freed.bytes)})` : ''}.`,
      );
    }),
  );
models
  .command('use')
  .description('make an installed model the active one (photos are re-embedded on the next index)')
  .argument('<id>', 'model id')
  .action(async (id: string) =>
    withCore(async (core) => {
      const model = core.models.use(id);
      print(
        model,
        `Now using ${model.name} (${model.id}). Run \`photoseek index\` to embed the library with it; until every photo is, search keeps using the previous model.`,
      );
    }),
  );

registerEvalCommand(program, print);

function addQueryOptions(command: Command): Command {
  return addFilterOptions(command)
    .addOption(
      new Option('-n, --limit <n>', 'how many results').default(20).argParser(parsePositiveInt),
    )
    .addOption(
      new Option('--folder <dir...>', 'only photos in these folders (and their subfolders)'),
    )
    .addOption(
      new Option(
        '--after <date>',
        'only photos taken on or after this date (YYYY-MM-DD)',
      ).argParser(parseDate),
    )
    .addOption(
      new Option('--before <date>', 'only photos taken before this date (YYYY-MM-DD)').argParser(
        parseDate,
      ),
    )
    .addOption(
      new Option('--min-score <score>', 'hide matches below this similarity (e.g. 0.2)').argParser(
        parseScore,
      ),
    )
    .addOption(
      new Option(
        '--all',
        'list weak matches too (the table shows good matches only; --json always has every hit, with its relevance)',
      ),
    );
}

function toSearchOptions(options: QueryOptions): SearchOptions {
  return {
    limit: options.limit,
    ...(options.folder ? { folders: options.folder } : {}),
    ...(options.after !== undefined ? { after: options.after } : {}),
    ...(options.before !== undefined ? { before: options.before } : {}),
    ...toFilters(options),
  };
}

function collectExamples(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/**
 * The example of `search --like`: library photos (#ids or indexed files), or one image file from
 * anywhere, read here as bytes (the CLI may read files: [Note: No file reads on the renderer's
 * word]). The same rule as `similar`: several examples must all be library photos.
 */
async function combinedExample(
  core: Core,
  targets: readonly string[],
  text: string,
): Promise<CombinedQuery> {
  const photoIds = targets.map((target) => resolvePhotoId(core, target));
  if (targets.length === 1 && photoIds[0] === null) {
    return { imageBytes: await readFile(targets[0]!), text };
  }
  const notInLibrary = targets.find((_target, i) => photoIds[i] === null);
  if (notInLibrary !== undefined) {
    throw new PhotoseekError(
      'BAD_ARGUMENT',
      `${notInLibrary} is not in the library: several examples must be library photos (one outside image works alone).`,
    );
  }
  return { photoIds: photoIds as number[], text };
}

function filterByScore<T extends { score: number }>(hits: T[], options: QueryOptions): T[] {
  return options.minScore === undefined
    ? hits
    : hits.filter((hit) => hit.score >= options.minScore!);
}

/** "#12" or "12" (when no file of that name exists) is a photo id; an indexed file is its photo. */
function resolvePhotoId(core: Core, target: string): number | null {
  const idMatch = /^#?(\d+)$/.exec(target);
  if (idMatch && (target.startsWith('#') || !existsSync(target))) return Number(idMatch[1]);
  if (!existsSync(target))
    throw new PhotoseekError('NOT_FOUND', `${target} is neither an image file nor a photo id.`);
  return core.photoIdForFile(target);
}

/** Each word of `search <text...>`, checked as the query grows so a huge paste stops early. */
function collectQueryWords(word: string, previous: string[] | undefined): string[] {
  const words = [...(previous ?? []), word];
  assertQueryLength(joinQueryWords(words));
  return words;
}

function parsePositiveInt(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1)
    throw new InvalidArgumentError('expected a whole number of at least 1.');
  return parsed;
}

function parseDate(value: string): number {
  const parsed = Date.parse(value);
  if (!/^\d{4}(-\d{2}(-\d{2})?)?/.test(value) || Number.isNaN(parsed)) {
    throw new InvalidArgumentError('expected a date like 2021-06-30.');
  }
  return parsed;
}

function parseScore(value: string): number {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < -1 || parsed > 1)
    throw new InvalidArgumentError('expected a number from -1 to 1.');
  return parsed;
}

function print(data: unknown, text: string): void {
  const options = program.opts<GlobalOptions>();
  process.stdout.write(`${options.json ? JSON.stringify(data, null, 2) : text}\n`);
}

/** The data folder and library database the options name, resolved as createCore does. */
function dataDir(): string {
  return program.opts<GlobalOptions>().dataDir ?? defaultDataDir();
}

function databasePath(): string {
  return path.resolve(program.opts<GlobalOptions>().db ?? defaultDatabasePath(dataDir()));
}

/** Why no model can be used (none chosen, or which files of the active one are missing). */
function activeModelProblem(): string {
  try {
    createModelStore({ dataDir: dataDir() }).requireActive();
    return 'none usable';
  } catch (error) {
    return toErrorData(error).message;
  }
}

/** The subcommand being run, for other processes on the library ("photoseek index"). */
let runningCommand = '';
program.hook('preAction', (_program, actionCommand) => {
  runningCommand = actionCommand.name();
});

async function withCore(
  action: (core: Core) => Promise<void>,
  config: CoreConfig = {},
): Promise<void> {
  const options = program.opts<GlobalOptions>();
  const core = createCore({
    processLabel: `photoseek ${runningCommand}`,
    ...config,
    ...(options.db ? { databasePath: options.db } : {}),
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
  });
  try {
    await action(core);
  } finally {
    await core.dispose();
  }
}

/** One line on stderr for any failure, never a stack trace; returns the exit code. */
function report(error: unknown): number {
  const damaged = !(error instanceof PhotoseekError) && isDamageError(error);
  const { code, message } = toErrorData(
    damaged ? damagedDatabase(databasePath(), (error as Error).message) : error,
  );
  process.stderr.write(`photoseek: ${message}\n`);
  return code === 'BAD_ARGUMENT' ? 2 : code === 'CANCELLED' ? 130 : 1;
}

// [Note: Last line of defence] A rejection nobody awaited or an exception thrown from a callback
// would otherwise end the process with Node's stack trace: report it like any other error instead.
process.on('unhandledRejection', (reason) => process.exit(report(reason)));
process.on('uncaughtException', (error) => process.exit(report(error)));

try {
  await program.parseAsync(protectNegativeTerms(process.argv, program));
} catch (error) {
  process.exitCode =
    error instanceof CommanderError ? (error.exitCode === 0 ? 0 : 2) : report(error);
}
