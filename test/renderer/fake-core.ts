import type { z } from 'zod';
import { commandArgs, shellArgs } from '../../src-main/shared/contract-schemas';
import type {
  CommandArgs,
  CommandName,
  CommandResults,
  CoreApi,
  CoreEvents,
  EventName,
  PhotoseekBridge,
  ShellApi,
  ShellCommandName,
} from '../../src-main/shared/contract';
import type { ErrorCode, ErrorData } from '../../src-main/shared/errors';
import type {
  DownloadProgress,
  Failure,
  IndexProgress,
  IndexReport,
  LibraryFacets,
  LibraryFolder,
  LibraryStatus,
  ModelSummary,
  PhotoDetails,
  Relevance,
  SearchHit,
  TimelineMonth,
  TimelinePage,
  UpdateCheckState,
} from '../../src-main/shared/types';
import {
  hueOfBytes,
  photoHue,
  photoPath,
  scoreJitter,
  thumbnailPath,
  wordHues,
} from './fake-library';
import type { FakeFolder, Scenario } from './scenarios';

/**
 * [Note: Fake core] An in-memory PhotoseekBridge for the renderer tests. It is typed by the
 * contract (a missing or mistyped command is a compile error) and validates every call against
 * the contract's zod schemas, recording anything invalid, so the tests prove the UI sends what the
 * real main process accepts. Slow or long operations (a held query, an index run, a model
 * download) advance only when a test says so: no timers, no races. Like the core host, it is
 * live ([Note: Live from the start]): adding a folder starts an index run by itself.
 */
export interface FakeControl {
  readonly calls: { command: string; args: readonly unknown[] }[];
  readonly invalidCalls: { command: string; problem: string }[];
  /** Arguments of every call to one command, oldest first. */
  argsOf(command: CommandName | ShellCommandName): (readonly unknown[])[];
  /** The photo ids of the last search answer (any search command), in the order sent. */
  lastAnswerIds(): number[];
  /** search.text for exactly this text waits until releaseSearch(text). */
  holdSearch(text: string): void;
  releaseSearch(text: string): Promise<void>;
  /** models.compare waits until releaseComparison() (progress can be emitted meanwhile). */
  holdComparison(): void;
  releaseComparison(): void;
  /** explore.clusters waits until releaseClusters() (progress can be emitted meanwhile). */
  holdClusters(): void;
  releaseClusters(): void;
  /** explore.duplicates waits until releaseDuplicates() (progress can be emitted meanwhile). */
  holdDuplicates(): void;
  releaseDuplicates(): void;
  /** explore.map waits until releaseMap() (progress can be emitted meanwhile). */
  holdMap(): void;
  releaseMap(): void;
  /** The next call to this command rejects with this error. */
  failNext(command: CommandName | ShellCommandName, error: ErrorData): void;
  /** What shell.pickFolder answers (null: the dialog was cancelled). */
  setPickedFolder(path: string | null): void;
  /**
   * The update check as main would report it (merged into the default: off, nothing found), and
   * what a check finds once the user turns it on: a newer version or a problem (none by default).
   */
  setUpdateCheck(
    state: Partial<UpdateCheckState>,
    found?: Partial<Pick<UpdateCheckState, 'available' | 'problem'>>,
  ): void;
  /** What shell.chooseImage answers, as main reads the chosen file (null: cancelled, the default). */
  setChosenImage(image: { bytes: number[]; name: string } | null): void;
  /** pathForFile answers `path` for a File named `name`, as the desktop app does for a dropped folder; '' for others. */
  setPathOfFile(name: string, path: string): void;
  /** Emits the running index's next progress event; returns it, or null when no run is going or it is paused. */
  stepIndexing(): IndexProgress | null;
  finishIndexing(): void;
  /** Emits the running model download's next progress event. */
  stepDownload(): DownloadProgress | null;
  emit<E extends EventName>(event: E, payload: CoreEvents[E]): void;
}

type StoredPhoto = Omit<SearchHit, 'score'> & { bytes: number };
/** `onDisk`: files a scan will find; `failedCount`: files that failed and are not retried by a run. */
type StoredFolder = LibraryFolder & { onDisk: number; failedCount: number };

interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

interface IndexRun {
  events: IndexProgress[];
  next: number;
  targets: StoredFolder[];
  deferred: Deferred<IndexReport>;
}

interface DownloadRun {
  model: ModelSummary;
  events: DownloadProgress[];
  next: number;
  deferred: Deferred<ModelSummary>;
}

/** Scores at or above which the fake calls a hit good, or strong. */
interface FakeBand {
  good: number;
  strong: number;
}

/**
 * [Note: A fake of data, not of ranking] The fake answers searches from its data: each photo has a
 * hue (fake-library.ts), a colour word or an image points at a hue, and the photos nearest it come
 * first, in bands that suit those scores (text 0.13 ± 0.19 by hue, a word it does not know 0.08;
 * images 0.55 ± 0.4). That keeps answers deterministic and easy to see in a screenshot; it is not
 * the core's ranking and uses none of its code: it does not apply the query grammar ("-" terms are
 * left out, not pushed down) nor calibrate bands ([Note: Relevance cut-off]). So renderer tests
 * assert what the UI does with an answer (its order, its bands, what it sends); what a query
 * ranks is tested against the real core (test/core, and test/e2e through the UI).
 */
const bands: { text: FakeBand; image: FakeBand } = {
  text: { good: 0.28, strong: 0.31 },
  image: { good: 0.85, strong: 0.93 },
};

function bandOf(score: number, band: FakeBand): Relevance {
  return score >= band.strong ? 'strong' : score >= band.good ? 'good' : 'weak';
}
const INDEX_BATCH = 60;
/** Each index run fails on the file at this position (when it gets that far). */
const FAILING_FILE_POSITION = 90;
const NEW_FOLDER_FILES = 240;
const PROVIDER = 'cpu';

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function coreError(code: ErrorCode | string, message: string): Error & { code: string } {
  return Object.assign(new Error(message), { code });
}

function unit(hue: number): [number, number] {
  const radians = (hue * Math.PI) / 180;
  return [Math.cos(radians), Math.sin(radians)];
}

function fileName(folder: string, position: number): string {
  return `${folder}/IMG_${1000 + position}.jpg`;
}

/** When the fake library's photo was taken, or for an undated one, indexed: later ids are newer. */
function timelineTime(photoId: number): number {
  return Date.UTC(2023, 0, 1) + photoId * 3.7 * 3_600_000;
}

function makePhoto(photoId: number, folder: string, position: number): StoredPhoto {
  const portrait = photoId % 4 === 0;
  return {
    photoId,
    path: fileName(folder, position),
    folder,
    width: portrait ? 3024 : 4032,
    height: portrait ? 4032 : 3024,
    takenAt: photoId % 9 === 0 ? null : timelineTime(photoId),
    camera: ['Apple iPhone 13', 'Fujifilm X-T30', 'Canon EOS R6', null][photoId % 4] ?? null,
    bytes: 1_800_000 + ((photoId * 7919) % 3_200_000),
  };
}

const IMAGE_ONLY_MODEL: ModelSummary = {
  id: 'mobilenetv2-imagenet',
  name: 'MobileNetV2 (ImageNet)',
  family: 'image-only',
  embeddingDim: 1280,
  textSearch: false,
  installed: true,
  active: true,
  source: 'local',
  bytes: null,
  libraryVectors: null,
  licence: null,
};

function registryModels(installed: boolean, imageOnly: boolean): ModelSummary[] {
  const registry = registryEntries(installed && !imageOnly);
  return imageOnly ? [...registry, IMAGE_ONLY_MODEL] : registry;
}

function registryEntries(installed: boolean): ModelSummary[] {
  return [
    {
      id: 'clip-vit-b32-int8',
      name: 'CLIP ViT-B/32 (int8)',
      family: 'clip',
      embeddingDim: 512,
      textSearch: true,
      licence: {
        name: 'MIT (OpenAI CLIP)',
        url: 'https://github.com/openai/CLIP/blob/main/LICENSE',
        commercialUse: true,
        note: null,
      },
      installed,
      active: installed,
      source: 'registry',
      bytes: 153_621_508,
      libraryVectors: null,
    },
    {
      id: 'siglip-b16-224-int8',
      name: 'SigLIP B/16 224 (int8)',
      family: 'siglip',
      embeddingDim: 768,
      textSearch: true,
      licence: { name: 'Apache-2.0', url: null, commercialUse: true, note: null },
      installed: false,
      active: false,
      source: 'registry',
      bytes: 213_373_093,
      libraryVectors: null,
    },
    {
      id: 'mobileclip-s0',
      name: 'MobileCLIP-S0 (fp32 image, int8 text)',
      family: 'mobileclip',
      embeddingDim: 512,
      textSearch: true,
      licence: {
        name: 'Apple ML Research Model licence',
        url: null,
        commercialUse: false,
        note: null,
      },
      installed: false,
      active: false,
      source: 'registry',
      bytes: 90_566_949,
      libraryVectors: null,
    },
  ];
}

export function createFakeCore(scenario: Scenario): {
  bridge: PhotoseekBridge;
  control: FakeControl;
} {
  let nextPhotoId = 1;
  let nextFolderId = 1;
  const photos = new Map<number, StoredPhoto>();
  const folders: StoredFolder[] = [];
  let failures: Failure[] = scenario.failures.map((failure) => ({ ...failure }));
  let models = [
    ...registryModels(scenario.modelInstalled, scenario.imageOnlyModel ?? false),
    ...(scenario.extraModels ?? []),
  ];
  let pickedFolder: string | null = '/home/ana/Pictures/Lisbon 2024';
  let chosenImage: { bytes: Uint8Array; name: string } | null = null;
  const updateCheckOff: UpdateCheckState = {
    enabled: false,
    host: 'photoseek.app',
    currentVersion: '0.1.0',
    lastCheck: null,
    available: null,
    problem: null,
  };
  let updateCheck = updateCheckOff;
  let checkFinds: Partial<Pick<UpdateCheckState, 'available' | 'problem'>> = {};
  const filePaths = new Map<string, string>();
  let indexRun: IndexRun | null = null;
  let paused = false;
  let downloadRun: DownloadRun | null = null;
  const heldSearches = new Map<string, Deferred<void>>();
  let heldClusters: Deferred<void> | undefined;
  let heldDuplicates: Deferred<void> | undefined;
  let heldComparison: Deferred<void> | undefined;
  let heldMap: Deferred<void> | undefined;
  const plannedFailures = new Map<string, ErrorData>();
  const listeners: { [E in EventName]: Set<(payload: CoreEvents[E]) => void> } = {
    'index.progress': new Set(),
    'models.downloadProgress': new Set(),
    'library.notice': new Set(),
    'webImage.progress': new Set(),
    'explore.duplicatesProgress': new Set(),
    'explore.clusterProgress': new Set(),
    'models.compareProgress': new Set(),
    'explore.mapProgress': new Set(),
  };
  const calls: FakeControl['calls'] = [];
  let lastAnswerIds: number[] = [];
  const invalidCalls: FakeControl['invalidCalls'] = [];

  function addFolder(spec: FakeFolder): StoredFolder {
    const folder: StoredFolder = {
      id: nextFolderId++,
      path: spec.path,
      addedAt: Date.UTC(2024, 2, 1),
      online: spec.online ?? true,
      fileCount: spec.files,
      indexedCount: 0,
      onDisk: spec.files,
      failedCount: failures.filter((failure) => failure.path.startsWith(`${spec.path}/`)).length,
    };
    folders.push(folder);
    indexFiles(folder, spec.indexed);
    return folder;
  }

  function pending(folder: StoredFolder): number {
    return folder.fileCount - folder.indexedCount - folder.failedCount;
  }

  /** Indexes the folder's next `count` files; the one at `failAt` (if any) fails instead. */
  function indexFiles(folder: StoredFolder, count: number, failAt: number | null = null): void {
    for (let i = 0; i < count; i++) {
      const position = folder.indexedCount + folder.failedCount;
      if (i === failAt) {
        failures.push({
          path: `${folder.path}/IMG_${1000 + position}.HEIC`,
          stage: 'decode',
          code: 'UNSUPPORTED_FORMAT',
          message: 'This HEIC file uses a compression the decoder does not support.',
          attempts: 1,
          lastTry: Date.now(),
        });
        folder.failedCount++;
      } else {
        const photo = makePhoto(nextPhotoId++, folder.path, position);
        photos.set(photo.photoId, photo);
        folder.indexedCount++;
      }
    }
  }

  for (const spec of scenario.folders) addFolder(spec);

  function emit<E extends EventName>(event: E, payload: CoreEvents[E]): void {
    for (const listener of listeners[event]) listener(payload);
  }

  function activeModel(): ModelSummary | null {
    return models.find((model) => model.active) ?? null;
  }

  function folderOrThrow(path: string): StoredFolder {
    const folder = folders.find((candidate) => candidate.path === path);
    if (!folder) throw coreError('FOLDER_MISSING', `${path} is not a library folder.`);
    return folder;
  }

  function photoOrThrow(photoId: number): StoredPhoto {
    const photo = photos.get(photoId);
    if (!photo) throw coreError('NOT_FOUND', `Photo ${photoId} has no file in the library.`);
    return photo;
  }

  // ---- search -------------------------------------------------------------------------------

  function rank(
    scoreOf: (photo: StoredPhoto) => number,
    band: FakeBand,
    options: { limit?: number | undefined },
    ...excludeIds: number[]
  ): SearchHit[] {
    const hits: SearchHit[] = [];
    for (const photo of photos.values()) {
      const { bytes: _bytes, ...hit } = photo;
      const score = scoreOf(photo);
      if (!excludeIds.includes(photo.photoId))
        hits.push({ ...hit, score, relevance: bandOf(score, band) });
    }
    hits.sort((a, b) => b.score - a.score);
    const answer = scenario.ignoreSearchLimit ? hits : hits.slice(0, options.limit ?? 20);
    lastAnswerIds = answer.map((hit) => hit.photoId);
    return answer;
  }

  /** The colour words of the query as a direction in hue space; null when it names none. */
  function queryVector(text: string): [number, number] | null {
    const vector: [number, number] = [0, 0];
    for (const word of text.toLowerCase().split(/\s+/)) {
      const hue = wordHues[word];
      if (hue === undefined) continue;
      const [x, y] = unit(hue);
      vector[0] += x;
      vector[1] += y;
    }
    const length = Math.hypot(vector[0], vector[1]);
    return length < 1e-6 ? null : [vector[0] / length, vector[1] / length];
  }

  function textScore(vector: [number, number] | null, photo: StoredPhoto): number {
    if (!vector) return 0.08 + scoreJitter(photo.photoId);
    const [x, y] = unit(photoHue(photo.photoId));
    return 0.13 + 0.19 * (vector[0] * x + vector[1] * y) + scoreJitter(photo.photoId);
  }

  function imageScore(hue: number, photo: StoredPhoto): number {
    const [x, y] = unit(hue);
    const [px, py] = unit(photoHue(photo.photoId));
    return Math.min(0.99, 0.55 + 0.4 * (x * px + y * py) + scoreJitter(photo.photoId));
  }

  // ---- indexing -----------------------------------------------------------------------------

  /** The path of the file at a position of the run (runs go through their folders in order). */
  function fileAtRunPosition(targets: StoredFolder[], position: number): string | null {
    let offset = position;
    for (const folder of targets) {
      if (offset < pending(folder))
        return fileName(folder.path, folder.indexedCount + folder.failedCount + offset);
      offset -= pending(folder);
    }
    return null;
  }

  function planIndexRun(targets: StoredFolder[]): IndexProgress[] {
    for (const folder of targets) folder.fileCount = folder.onDisk;
    const total = targets.reduce((sum, folder) => sum + pending(folder), 0);
    const scanning: IndexProgress = {
      phase: 'scanning',
      done: 0,
      total: 0,
      indexed: 0,
      failed: 0,
      rate: 0,
      etaSeconds: null,
      currentFile: null,
      provider: PROVIDER,
    };
    const events = [scanning];
    const failedBy = (done: number) => (done > FAILING_FILE_POSITION ? 1 : 0);
    for (let batch = 1; (batch - 1) * INDEX_BATCH < total; batch++) {
      const done = Math.min(total, batch * INDEX_BATCH);
      const rate = 36 + batch * 2.5;
      events.push({
        phase: 'indexing',
        done,
        total,
        indexed: done - failedBy(done),
        failed: failedBy(done),
        rate,
        etaSeconds: (total - done) / rate,
        currentFile: fileAtRunPosition(targets, done - 1),
        provider: PROVIDER,
      });
    }
    const last = events[events.length - 1] ?? scanning;
    events.push({
      ...last,
      phase: 'done',
      done: total,
      total,
      indexed: total - failedBy(total),
      failed: failedBy(total),
      etaSeconds: 0,
      currentFile: null,
    });
    return events;
  }

  /** Moves the run's first `done` files into the library (on completion and on cancel alike). */
  function applyIndexRun(run: IndexRun, done: number): IndexReport {
    let offset = 0;
    for (const folder of run.targets) {
      const count = Math.min(done - offset, pending(folder));
      const failAt = FAILING_FILE_POSITION - offset;
      indexFiles(folder, count, failAt >= 0 && failAt < count ? failAt : null);
      offset += count;
    }
    const failed = done > FAILING_FILE_POSITION ? 1 : 0;
    return {
      scanned: done,
      indexed: done - failed,
      unchanged: 0,
      failed,
      removed: 0,
      seconds: 4.2,
    };
  }

  /** Starts a run over `targets` and emits its first event; the run a caller may wait for. */
  function startIndexRun(targets: StoredFolder[]): IndexRun {
    const run: IndexRun = { events: planIndexRun(targets), next: 0, targets, deferred: deferred() };
    // Nobody waits for a run that live mode started; stopping it must not leave a rejection unhandled.
    run.deferred.promise.catch(() => undefined);
    indexRun = run;
    stepIndexing();
    return run;
  }

  /** Ends the running index where it is: what it did so far stays, the rest is not queued any more. */
  function cancelIndexRun(): void {
    const run = indexRun;
    if (!run) return;
    indexRun = null;
    applyIndexRun(run, run.events[run.next - 1]?.done ?? 0);
    run.deferred.reject(coreError('CANCELLED', 'The operation was cancelled.'));
  }

  /** Files the running index has not reached yet. */
  function queued(): number {
    const run = indexRun;
    if (!run) return 0;
    const last = run.events[run.events.length - 1];
    return (last?.total ?? 0) - (run.events[run.next - 1]?.done ?? 0);
  }

  function stepIndexing(): IndexProgress | null {
    const run = indexRun;
    const event = run?.events[run.next];
    if (!run || !event || paused) return null;
    run.next++;
    if (event.phase === 'done') {
      indexRun = null;
      const report = applyIndexRun(run, event.done);
      emit('index.progress', event);
      run.deferred.resolve(report);
    } else {
      emit('index.progress', event);
    }
    return event;
  }

  // ---- models -------------------------------------------------------------------------------

  function planDownload(): DownloadProgress[] {
    const files: [string, number, number[]][] = [
      ['onnx/vision_model_quantized.onnx', 89_117_001, [0.3, 0.7, 1]],
      ['onnx/text_model_quantized.onnx', 64_504_507, [0.5, 1]],
    ];
    return files.flatMap(([file, totalBytes, steps]) =>
      steps.map((share) => ({ file, totalBytes, receivedBytes: Math.round(share * totalBytes) })),
    );
  }

  function stepDownload(): DownloadProgress | null {
    const run = downloadRun;
    const event = run?.events[run.next];
    if (!run || !event) return null;
    run.next++;
    emit('models.downloadProgress', event);
    if (run.next === run.events.length) {
      downloadRun = null;
      const hadActive = activeModel() !== null;
      models = models.map((model) =>
        model.id === run.model.id
          ? { ...model, installed: true, active: model.active || !hadActive }
          : model,
      );
      const installed = models.find((model) => model.id === run.model.id);
      if (installed) run.deferred.resolve(installed);
    }
    return event;
  }

  // ---- the bridge ---------------------------------------------------------------------------

  function guarded<A extends unknown[], R>(
    name: CommandName | ShellCommandName,
    schema: z.ZodType,
    impl: (...args: A) => R | Promise<R>,
  ) {
    return async (...args: A): Promise<R> => {
      calls.push({ command: name, args });
      const parsed = schema.safeParse(args);
      if (!parsed.success) {
        invalidCalls.push({ command: name, problem: parsed.error.message });
        throw coreError('BAD_ARGUMENT', `Invalid arguments for ${name}: ${parsed.error.message}`);
      }
      const planned = plannedFailures.get(name);
      if (planned) {
        plannedFailures.delete(name);
        throw coreError(planned.code, planned.message);
      }
      return impl(...args);
    };
  }

  function command<K extends CommandName>(
    name: K,
    impl: (...args: CommandArgs<K>) => CommandResults[K] | Promise<CommandResults[K]>,
  ): CoreApi[K] {
    return guarded(name, commandArgs[name], impl) as CoreApi[K];
  }

  function shellCommand<K extends ShellCommandName>(
    name: K,
    impl: (
      ...args: Parameters<ShellApi[K]>
    ) => Awaited<ReturnType<ShellApi[K]>> | ReturnType<ShellApi[K]>,
  ): ShellApi[K] {
    return guarded(name, shellArgs[name], impl) as unknown as ShellApi[K];
  }

  const core: CoreApi = {
    'library.status': command('library.status', (): LibraryStatus => ({
      databasePath: '/home/ana/.local/share/photoseek/library.db',
      folders: folders.map(({ onDisk: _onDisk, failedCount: _failedCount, ...folder }) => folder),
      photos: photos.size,
      files: folders.reduce((sum, folder) => sum + folder.fileCount, 0),
      embedded: photos.size,
      failures: failures.length,
      queued: queued(),
      paused,
      model: activeModel(),
      provider: activeModel() ? PROVIDER : null,
      switching: scenario.switching ?? null,
    })),
    'folders.add': command('folders.add', (path) => {
      if (folders.some((folder) => folder.path === path))
        throw coreError('BAD_ARGUMENT', `${path} is already in the library.`);
      const {
        onDisk: _onDisk,
        failedCount: _failedCount,
        ...added
      } = addFolder({ path, files: 0, indexed: 0 });
      const folder = folderOrThrow(path);
      folder.onDisk = NEW_FOLDER_FILES;
      // Live mode: the core restarts its run over every folder, which finds the new one's files.
      cancelIndexRun();
      startIndexRun([...folders]);
      return added;
    }),
    'folders.remove': command('folders.remove', (path) => {
      const folder = folderOrThrow(path);
      folders.splice(folders.indexOf(folder), 1);
      for (const [photoId, photo] of photos) if (photo.folder === path) photos.delete(photoId);
      failures = failures.filter((failure) => !failure.path.startsWith(`${path}/`));
    }),
    'index.start': command('index.start', (only) => {
      if (!activeModel()) throw coreError('MODEL_MISSING', 'No model is installed yet.');
      if (indexRun) throw coreError('INTERNAL', 'Indexing is already running.');
      return startIndexRun(only ? only.map(folderOrThrow) : [...folders]).deferred.promise;
    }),
    'index.pause': command('index.pause', () => {
      paused = true;
    }),
    'index.resume': command('index.resume', async () => {
      paused = false;
      // The run goes on from where it paused (stepIndexing); the call returns when it is done.
      await indexRun?.deferred.promise;
    }),
    'index.cancel': command('index.cancel', cancelIndexRun),
    'search.text': command('search.text', async (text, options) => {
      await heldSearches.get(text)?.promise;
      const model = activeModel();
      if (model && !model.textSearch) {
        throw coreError('NO_TEXT_TOWER', `${model.name} is an image-only model.`);
      }
      const vector = queryVector(text);
      return rank((photo) => textScore(vector, photo), bands.text, options);
    }),
    'search.imageBytes': command('search.imageBytes', (bytes, options) =>
      rank((photo) => imageScore(hueOfBytes(bytes), photo), bands.image, options),
    ),
    'search.similar': command('search.similar', (examples, options) => {
      const photoIds = typeof examples === 'number' ? [examples] : examples;
      const missing = photoIds.find((photoId) => !photos.has(photoId));
      if (missing !== undefined)
        throw coreError('NOT_FOUND', `There is no photo with id ${missing}.`);
      // Several examples: ranked like the first one (the fake has no mean of hues).
      return rank(
        (photo) => imageScore(photoHue(photoIds[0]!), photo),
        bands.image,
        options,
        ...photoIds,
      );
    }),
    // Ranked by the example alone, like search.similar: the fake does not combine vectors; tests
    // check what the UI sends (argsOf), the core's tests what a combination ranks.
    'search.combined': command('search.combined', (query, options) => {
      const missing = query.photoIds?.find((photoId) => !photos.has(photoId));
      if (missing !== undefined)
        throw coreError('NOT_FOUND', `There is no photo with id ${missing}.`);
      const hue = query.photoIds ? photoHue(query.photoIds[0]!) : hueOfBytes(query.imageBytes!);
      return rank(
        (photo) => imageScore(hue, photo),
        bands.text,
        options,
        ...(query.photoIds ?? []),
      );
    }),
    'library.facets': command(
      'library.facets',
      (): LibraryFacets =>
        scenario.facets ?? {
          photos: photos.size,
          cameras: [],
          formats: [],
          orientations: [],
          withLocation: 0,
          dateSpan: null,
        },
    ),
    // The fake library is generated oldest first, so its timeline is the photos in reverse; the
    // months and days are read off that order, not sorted (see [Note: Timeline order] and [Note:
    // Timeline day counts] for the real ones).
    'photos.timeline': command('photos.timeline', ({ offset, limit }): TimelinePage => {
      const newestFirst = [...photos.values()].reverse();
      const months: TimelineMonth[] = [];
      for (const photo of newestFirst) {
        const day = new Date(timelineTime(photo.photoId)).toISOString().slice(0, 10);
        let month = months.at(-1);
        if (month?.month !== day.slice(0, 7)) {
          month = { month: day.slice(0, 7), count: 0, days: [] };
          months.push(month);
        }
        month.count++;
        const lastDay = month.days.at(-1);
        if (lastDay?.day === day) lastDay.count++;
        else month.days.push({ day, count: 1 });
      }
      return {
        total: newestFirst.length,
        months,
        photos: newestFirst
          .slice(offset, offset + limit)
          .map(({ bytes: _bytes, ...photo }) => photo),
      };
    }),
    'photos.get': command('photos.get', (photoId): PhotoDetails => {
      const photo = photos.get(photoId);
      if (!photo) throw coreError('NOT_FOUND', `There is no photo with id ${photoId}.`);
      const copies = photoId % 7 === 0 ? [photo.path.replace(/\.jpg$/, ' (copy).jpg')] : [];
      return {
        photoId,
        paths: [photo.path, ...copies],
        folder: photo.folder,
        format: 'jpeg',
        width: photo.width,
        height: photo.height,
        bytes: photo.bytes,
        takenAt: photo.takenAt,
        camera: photo.camera,
        gps:
          photoId % 3 === 0 ? { latitude: 64.1466 + photoId / 10_000, longitude: -21.9426 } : null,
        place: photoId % 3 === 0 ? 'Reykjavík, Capital Region, Iceland' : null,
      };
    }),
    'explore.duplicates': command('explore.duplicates', async () => {
      await heldDuplicates?.promise;
      return structuredClone(scenario.duplicates ?? []);
    }),
    'failures.list': command('failures.list', () => failures.map((failure) => ({ ...failure }))),
    'failures.retry': command('failures.retry', (path) => {
      const failure = failures.find((candidate) => candidate.path === path);
      if (!failure) throw coreError('NOT_FOUND', `${path} is not in the list of failures.`);
      if (path.includes('corrupt')) {
        failure.attempts++;
        failure.lastTry = Date.now();
        return;
      }
      failures = failures.filter((candidate) => candidate !== failure);
      const folder = folders.find((candidate) => path.startsWith(`${candidate.path}/`));
      if (folder) {
        folder.failedCount = Math.max(0, folder.failedCount - 1);
        indexFiles(folder, 1);
      }
    }),
    'models.list': command('models.list', () => models.map((model) => ({ ...model }))),
    'models.download': command('models.download', (id) => {
      const model = models.find((candidate) => candidate.id === id);
      if (!model) throw coreError('NOT_FOUND', `There is no model "${id}".`);
      const run: DownloadRun = { model, events: planDownload(), next: 0, deferred: deferred() };
      downloadRun = run;
      return run.deferred.promise;
    }),
    'models.use': command('models.use', (id) => {
      const model = models.find((candidate) => candidate.id === id && candidate.installed);
      if (!model) throw coreError('MODEL_MISSING', `Model "${id}" is not installed.`);
      models = models.map((candidate) => ({ ...candidate, active: candidate.id === id }));
      return { ...model, active: true };
    }),
    'models.add': command('models.add', (dir) => {
      const model = scenario.addableModel;
      if (!model)
        throw coreError(
          'MODEL_INVALID',
          `Cannot use ${dir} as a model folder: there is no photoseek-model.json in it.`,
        );
      if (models.some((known) => known.id === model.id))
        throw coreError('BAD_ARGUMENT', `A model "${model.id}" is already installed.`);
      models = [...models, { ...model }];
      return { ...model };
    }),
    'models.remove': command('models.remove', (id) => {
      const model = models.find((candidate) => candidate.id === id);
      if (!model) throw coreError('NOT_FOUND', `Unknown model "${id}".`);
      if (model.active)
        throw coreError('BAD_ARGUMENT', `${id} is in use; choose another model first.`);
      models = models.flatMap((candidate) =>
        candidate.id !== id
          ? [candidate]
          : candidate.source === 'registry'
            ? [{ ...candidate, installed: false, libraryVectors: null }]
            : [],
      );
      return model.libraryVectors ?? { photos: 0, bytes: 0 };
    }),
    'models.compare': command('models.compare', async () => {
      await heldComparison?.promise;
      if (!scenario.comparison)
        throw coreError('FOLDER_MISSING', 'No labelled photos in that folder.');
      return structuredClone(scenario.comparison);
    }),
    'explore.clusters': command('explore.clusters', async () => {
      await heldClusters?.promise;
      return structuredClone(scenario.clusters ?? []);
    }),
    'explore.map': command('explore.map', async () => {
      await heldMap?.promise;
      return structuredClone(
        scenario.map ?? { photoIds: [], x: [], y: [], cluster: [], clusters: [] },
      );
    }),
  };

  const shell: ShellApi = {
    'shell.pickFolder': shellCommand('shell.pickFolder', () => pickedFolder),
    'shell.showInFolder': shellCommand('shell.showInFolder', () => undefined),
    'shell.openPath': shellCommand('shell.openPath', () => undefined),
    'shell.trash': shellCommand('shell.trash', () => undefined),
    // Main downloads dropped web images; the fake stands in with a same-origin fetch, answering
    // as main does when the site cannot be reached (the renderer's CSP allows no other origin).
    'shell.fetchWebImage': shellCommand('shell.fetchWebImage', async (url) => {
      const host = new URL(url).host;
      const response = await fetch(url).catch(() => null);
      if (!response?.ok) {
        throw coreError(
          'BAD_ARGUMENT',
          `Could not download the image from ${host}: the site could not be reached. Save the image to your computer and drop the file instead.`,
        );
      }
      const bytes = new Uint8Array(await response.arrayBuffer());
      emit('webImage.progress', { received: bytes.length, total: bytes.length });
      return { bytes, name: url.split('/').pop() ?? host };
    }),
    'shell.cancelWebImage': shellCommand('shell.cancelWebImage', () => undefined),
    'shell.chooseImage': shellCommand('shell.chooseImage', () => chosenImage),
    // Main resolves the photo's library file from the id and refuses one it does not know.
    'shell.startDrag': shellCommand('shell.startDrag', (photoId) => void photoOrThrow(photoId)),
    'shell.copyPath': shellCommand('shell.copyPath', (photoId) => void photoOrThrow(photoId)),
    'shell.copyImage': shellCommand('shell.copyImage', (photoId) => void photoOrThrow(photoId)),
    'shell.updateCheck': shellCommand('shell.updateCheck', () => ({ ...updateCheck })),
    // Turning it on checks at once, as main does; off forgets what was found.
    'shell.setUpdateCheck': shellCommand('shell.setUpdateCheck', (enabled) => {
      updateCheck = enabled
        ? { ...updateCheckOff, ...checkFinds, enabled, lastCheck: Date.now() }
        : updateCheckOff;
      return { ...updateCheck };
    }),
    'shell.openUpdatePage': shellCommand('shell.openUpdatePage', () => {
      if (!updateCheck.available)
        throw coreError('NOT_FOUND', 'There is no newer version to open.');
    }),
  };

  const bridge: PhotoseekBridge = {
    core,
    shell,
    on(event, listener) {
      listeners[event].add(listener);
      return () => listeners[event].delete(listener);
    },
    thumbnailUrl: thumbnailPath,
    photoUrl: photoPath,
    pathForFile: (file) => filePaths.get(file.name) ?? '',
  };

  const control: FakeControl = {
    calls,
    invalidCalls,
    argsOf: (name) => calls.filter((call) => call.command === name).map((call) => call.args),
    lastAnswerIds: () => lastAnswerIds,
    holdSearch(text) {
      heldSearches.set(text, deferred());
    },
    async releaseSearch(text) {
      const held = heldSearches.get(text);
      heldSearches.delete(text);
      held?.resolve();
      await held?.promise;
    },
    holdComparison() {
      heldComparison = deferred();
    },
    releaseComparison() {
      heldComparison?.resolve();
      heldComparison = undefined;
    },
    holdClusters() {
      heldClusters = deferred();
    },
    releaseClusters() {
      heldClusters?.resolve();
      heldClusters = undefined;
    },
    holdDuplicates() {
      heldDuplicates = deferred();
    },
    releaseDuplicates() {
      heldDuplicates?.resolve();
      heldDuplicates = undefined;
    },
    holdMap() {
      heldMap = deferred();
    },
    releaseMap() {
      heldMap?.resolve();
      heldMap = undefined;
    },
    failNext(name, error) {
      plannedFailures.set(name, error);
    },
    setPickedFolder(path) {
      pickedFolder = path;
    },
    setUpdateCheck(state, found = {}) {
      updateCheck = { ...updateCheckOff, ...state };
      checkFinds = found;
    },
    setChosenImage(image) {
      chosenImage = image && { bytes: Uint8Array.from(image.bytes), name: image.name };
    },
    setPathOfFile(name, path) {
      filePaths.set(name, path);
    },
    stepIndexing,
    finishIndexing() {
      while (stepIndexing());
    },
    stepDownload,
    emit,
  };

  return { bridge, control };
}
