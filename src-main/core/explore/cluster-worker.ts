import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { ClusterProgress } from '../../shared/types';
import {
  CLUSTER_MATH_SOURCE,
  clusterTree,
  type ClusterTreeParams,
  type FlatClusterTree,
} from './cluster-math';
import type { VectorSet } from './clusters';

/** Where the vectors to cluster come from. */
export interface ClusterInput {
  dim: number;
  /**
   * The library's file and the query of its (photo id, embedding) rows, so the worker reads them
   * on its own connection; null when the library is not a file (the vectors are then read here
   * and transferred).
   */
  database: { path: string; rowsSql: string; countSql: string } | null;
  /** Reads every vector on this thread: for a library without a file, or when no worker runs. */
  readHere: () => VectorSet;
}

export interface ComputedTree {
  /** The photo of each row of the tree. */
  photoIds: Float64Array;
  tree: FlatClusterTree;
  /** 'worker', or why the tree was computed on this thread instead. */
  ranIn: 'worker' | { thisThread: string };
}

export interface ComputeOptions {
  signal?: AbortSignal;
  onProgress?: (progress: ClusterProgress) => void;
}

/**
 * [Note: Clusters off the host's thread] Reading every vector and the two levels of k-means take
 * seconds at 100,000 photos (bench/clusters.bench.ts). On the core's thread they stopped every
 * command meanwhile: a search typed while the Clusters tab computed waited for it. They run in a
 * worker thread started for the computation: it opens the library file read-only on a connection
 * of its own (WAL: the core keeps writing meanwhile, the worker sees one snapshot), copies each
 * embedding's bytes straight into one Float32Array, runs cluster-math.ts ([Note: Self-contained
 * cluster math]) and transfers the flat result back (ArrayBuffer transfer, no copy). A library
 * without a file (in memory) is read here and its vectors are transferred in. Naming and saving
 * stay on the core's thread (they need its SQLite connection and the text tower): together about
 * 1 s at 100,000 photos. The program is source text, as the tower worker's ([Note: Inference off
 * the host's thread]), so it runs the same under tsx, vitest and the bundled app; it loads the
 * better-sqlite3 this module resolves. When the worker cannot start or fails, the tree is computed
 * on this thread from vectors read here, slower for the core's other commands, never wrong, and
 * the result says why (`ranIn`). Aborting the signal terminates the worker.
 */
const WORKER_PROGRAM = `
const { parentPort, workerData } = require('node:worker_threads');
${CLUSTER_MATH_SOURCE}
function reporter(phase) {
  return function report(done, total) {
    parentPort.postMessage({ progress: { phase, done, total } });
  };
}
function readVectors(database, dim, report) {
  const Database = require(workerData.betterSqlitePath);
  const db = new Database(database.path, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    db.exec('BEGIN');
    const capacity = db.prepare(database.countSql).pluck().get();
    const data = new Float32Array(capacity * dim);
    const bytes = new Uint8Array(data.buffer);
    const photoIds = new Float64Array(capacity);
    let count = 0;
    report(0, capacity);
    for (const [photoId, embedding] of db.prepare(database.rowsSql).raw().iterate()) {
      if (count === capacity) throw new Error('The library has more vectors than it counted.');
      if (embedding.length !== dim * 4) {
        throw new Error('Photo ' + photoId + ' has a vector of ' + embedding.length + ' bytes, not ' + dim * 4 + '.');
      }
      bytes.set(embedding, count * dim * 4);
      photoIds[count++] = photoId;
      if (count % 10000 === 0) report(count, capacity);
    }
    db.exec('COMMIT');
    report(count, count);
    return { photoIds: photoIds.subarray(0, count), data: data.subarray(0, count * dim) };
  } finally {
    db.close();
  }
}
parentPort.once('message', function (job) {
  try {
    const vectors = job.vectors || readVectors(job.database, job.dim, reporter('reading'));
    const tree = clusterTree(vectors.data, job.dim, job.params, reporter('clustering'));
    const transfer = [vectors.photoIds.buffer, tree.top.buffer, tree.child.buffer, tree.similarity.buffer,
      tree.topCentroids.buffer, tree.childCounts.buffer, tree.childCentroids.buffer];
    parentPort.postMessage({ done: { photoIds: vectors.photoIds, tree } }, transfer);
  } catch (error) {
    parentPort.postMessage({ failed: error instanceof Error ? error.message : String(error) });
  }
});
`;

type WorkerMessage =
  | { progress: ClusterProgress }
  | { done: { photoIds: Float64Array; tree: FlatClusterTree } }
  | { failed: string };

/** The clusters of every vector, computed in a worker thread when one can run. */
export async function computeClusterTree(
  input: ClusterInput,
  params: ClusterTreeParams,
  options: ComputeOptions = {},
): Promise<ComputedTree> {
  const { signal, onProgress } = options;
  signal?.throwIfAborted();
  const inWorker = await inWorkerThread(input, params, options);
  if ('photoIds' in inWorker) return { ...inWorker, ranIn: 'worker' };
  signal?.throwIfAborted();
  const set = input.readHere();
  const tree = clusterTree(set.data, input.dim, params, (done, total) =>
    onProgress?.({ phase: 'clustering', done, total }),
  );
  return {
    photoIds: Float64Array.from(set.photoIds),
    tree,
    ranIn: { thisThread: inWorker.failed },
  };
}

async function inWorkerThread(
  input: ClusterInput,
  params: ClusterTreeParams,
  { signal, onProgress }: ComputeOptions,
): Promise<{ photoIds: Float64Array; tree: FlatClusterTree } | { failed: string }> {
  let worker: Worker;
  try {
    worker = new Worker(WORKER_PROGRAM, {
      eval: true,
      workerData: { betterSqlitePath: createRequire(import.meta.url).resolve('better-sqlite3') },
    });
  } catch (error) {
    return { failed: `the cluster worker could not start: ${reasonOf(error)}` };
  }
  try {
    return await new Promise((resolve, reject) => {
      const abort = () => reject(signal?.reason ?? new Error('Aborted.'));
      signal?.addEventListener('abort', abort, { once: true });
      worker.on('message', (message: WorkerMessage) => {
        if ('progress' in message) onProgress?.(message.progress);
        else {
          signal?.removeEventListener('abort', abort);
          resolve('done' in message ? message.done : { failed: message.failed });
        }
      });
      worker.once('error', (error) => resolve({ failed: reasonOf(error) }));
      worker.once('exit', (code) =>
        resolve({ failed: `the cluster worker stopped (exit code ${code})` }),
      );
      if (input.database) {
        worker.postMessage({ database: input.database, dim: input.dim, params });
      } else {
        const set = input.readHere();
        const photoIds = Float64Array.from(set.photoIds);
        const transfer: ArrayBuffer[] = [photoIds.buffer];
        if (set.data.buffer instanceof ArrayBuffer) transfer.push(set.data.buffer);
        worker.postMessage(
          { vectors: { photoIds, data: set.data }, dim: input.dim, params },
          transfer,
        );
      }
    });
  } finally {
    await worker.terminate();
  }
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
