import { PhotoseekError } from '../../shared/errors';
import type { Core, IndexRequest } from '../index';
import type { HostApi } from './host-api';
import type { CallContext, EmitEvent, Served } from './server';

/** The core host's commands, served ([Note: Host-only commands]). */
export type CoreHandlers = Served<HostApi>;

type IndexRun<T> = (request: Required<Pick<IndexRequest, 'signal'>>) => Promise<T>;

/**
 * [Note: Global core events] Indexing progress and notices come from every run, whoever started
 * it: an index.start, a retry, live mode's reconciliation and watcher events. The core reports
 * them all to its global listeners, so the server forwards those (pass this to serve's
 * `subscribe`) and no handler emits 'index.progress' for its own run, which would send every
 * event twice.
 */
export function coreEvents(core: Core): (emit: EmitEvent) => () => void {
  return (emit) => {
    const stops = [
      core.onProgress((progress) => emit('index.progress', progress)),
      core.onNotice((message) => emit('library.notice', { message })),
    ];
    return () => stops.forEach((stop) => stop());
  };
}

/**
 * Maps every host command to the core. Indexing progress reaches the client through coreEvents;
 * a model download's progress is this call's own and goes out as 'models.downloadProgress'.
 *
 * [Note: One index run at a time] Index runs (index.start, failures.retry) write the same tables,
 * so they run one after another: a second start waits for the first. index.cancel stops the
 * running one and every one waiting, and empties the queue; each of those calls then fails with
 * CANCELLED, and what was already indexed stays saved. index.pause stops the running work but
 * keeps the queue for index.resume.
 */
export function coreHandlers(core: Core): CoreHandlers {
  const indexRuns = new Set<AbortController>();

  /** The core queues runs itself (LibraryService); here each one only gets a cancel switch. */
  async function cancellableIndexRun<T>(call: CallContext, run: IndexRun<T>): Promise<T> {
    const cancel = new AbortController();
    indexRuns.add(cancel);
    try {
      return await run({ signal: AbortSignal.any([call.signal, cancel.signal]) });
    } finally {
      indexRuns.delete(cancel);
    }
  }

  return {
    'library.status': () => core.status(),
    'folders.add': (_call, folder) => core.addFolder(folder),
    'folders.remove': (_call, folder) => core.removeFolder(folder),
    'index.start': (call, folders) =>
      cancellableIndexRun(call, (request) =>
        core.index({ ...request, ...(folders ? { folders } : {}) }),
      ),
    'index.pause': () => core.pauseIndexing(),
    'index.resume': () => core.resumeIndexing(),
    'index.cancel': () => {
      for (const run of indexRuns) {
        run.abort(
          new PhotoseekError('CANCELLED', 'Indexing was stopped. Photos indexed so far are saved.'),
        );
      }
      core.cancelIndexing();
    },
    'search.text': (call, query, options) => core.search(query, options, call.signal),
    'search.imageBytes': (call, bytes, options) =>
      core.searchByImageBytes(bytes, options, call.signal),
    'search.similar': (_call, photos, options) => core.similar(photos, options),
    'search.combined': (call, query, options) => core.searchCombined(query, options, call.signal),
    'library.facets': () => core.facets(),
    'photos.get': (_call, photoId) => core.photo(photoId),
    'photos.timeline': (_call, request) => core.timeline(request),
    'explore.duplicates': (call) =>
      core.duplicates({
        signal: call.signal,
        onProgress: (progress) => call.emit('explore.duplicatesProgress', progress),
      }),
    'photos.thumbnailPath': (_call, photoId) => core.thumbnailPath(photoId),
    'photos.verifiedFile': (_call, photoId) => core.verifiedFile(photoId),
    'files.isVerified': (_call, file) => core.fileIsVerified(file),
    'failures.list': () => core.failures(),
    'failures.retry': async (call, file) => {
      await cancellableIndexRun(call, (request) => core.retryFailure(file, request));
    },
    'models.list': () => core.models.list(),
    'models.download': (call, id) =>
      core.models.download(id, {
        signal: call.signal,
        onProgress: (progress) => call.emit('models.downloadProgress', progress),
      }),
    'models.use': (_call, id) => core.models.use(id),
    'models.add': (_call, dir) => core.models.add(dir),
    'models.remove': (_call, id) => core.models.remove(id),
    'models.compare': (call, request) =>
      core.models.compare({
        ...request,
        signal: call.signal,
        onProgress: (progress) => call.emit('models.compareProgress', progress),
      }),
    'explore.clusters': (call, options) =>
      core.clusters({
        ...options,
        signal: call.signal,
        onProgress: (progress) => call.emit('explore.clusterProgress', progress),
      }),
    'explore.map': (call) =>
      core.map({
        signal: call.signal,
        onProgress: (progress) => call.emit('explore.mapProgress', progress),
      }),
  };
}
