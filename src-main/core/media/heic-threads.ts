import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { decodePrimaryImage, throwIfHeifError } from './libheif-decode';
import type { Libheif, RgbImage } from './libheif-decode';

/** How long an idle decode thread keeps its WebAssembly heap (≈ 60 MB after a 12 MP HEIC). */
const IDLE_MS = 15_000;

const LIBHEIF_PATH = createRequire(import.meta.url).resolve('libheif-js/wasm-bundle');

/**
 * A decode thread's program: libheif-js, then decodePrimaryImage's own source and its helper's
 * (a declaration under whatever name a bundler gave it, which is the name decodePrimaryImage's
 * source calls). A failure that is not libheif's (the WebAssembly runtime trapped) ends the
 * thread after its reply, so the next image gets a fresh heap.
 */
const WORKER_PROGRAM = `
const { parentPort, workerData } = require('node:worker_threads');
const libheif = require(workerData.libheifPath);
${throwIfHeifError.toString()}
const decodePrimaryImage = ${decodePrimaryImage.toString()};
parentPort.on('message', (bytes) => {
  try {
    const image = decodePrimaryImage(libheif, bytes);
    parentPort.postMessage({ ok: true, image }, [image.data.buffer]);
  } catch (error) {
    const libheifError = error instanceof Error && error.name === 'HeifError';
    parentPort.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) });
    if (!libheifError) process.exit(1);
  }
});
Promise.resolve(libheif.ready).then(() => parentPort.postMessage({ ready: true }));
`;

type Reply = { ok: true; image: RgbImage } | { ok: false; message: string };

/** One decode thread, one image at a time. */
class DecodeThread {
  private pending: { resolve: (image: RgbImage) => void; reject: (error: Error) => void } | null =
    null;
  private stopped: Error | null = null;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (reply: Reply) => {
      const pending = this.pending;
      this.pending = null;
      this.worker.unref();
      if (reply.ok) pending?.resolve(reply.image);
      else pending?.reject(new Error(reply.message));
    });
    worker.on('error', (error) => this.stop(error));
    worker.on('exit', (code) =>
      this.stop(new Error(`the HEIC decode thread stopped (code ${code})`)),
    );
  }

  /** Starts a thread and waits until libheif is loaded in it; throws why it could not. */
  static async start(): Promise<DecodeThread> {
    const worker = new Worker(WORKER_PROGRAM, {
      eval: true,
      workerData: { libheifPath: LIBHEIF_PATH },
    });
    let settle: (failure: Error | null) => void = () => {};
    const onReady = () => settle(null);
    const onError = (error: Error) => settle(error);
    const onExit = (code: number) => settle(new Error(`the thread exited with code ${code}`));
    const failure = await new Promise<Error | null>((resolve) => {
      settle = resolve;
      worker.once('message', onReady).once('error', onError).once('exit', onExit);
    });
    // Only these three: Worker keeps listeners of its own.
    worker.off('message', onReady).off('error', onError).off('exit', onExit);
    if (failure) {
      await worker.terminate();
      throw failure;
    }
    worker.unref();
    return new DecodeThread(worker);
  }

  get alive(): boolean {
    return this.stopped === null;
  }

  decode(bytes: Uint8Array): Promise<RgbImage> {
    if (this.stopped) return Promise.reject(this.stopped);
    // A copy of exactly these bytes travels: transferring the caller's own buffer would empty it,
    // and a view's whole buffer would be cloned (Buffer#slice is no copy).
    const copy = new Uint8Array(bytes);
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.worker.ref();
      this.worker.postMessage(copy, [copy.buffer]);
    });
  }

  async terminate(): Promise<void> {
    this.stop(new Error('the HEIC decode thread was stopped'));
    await this.worker.terminate();
  }

  private stop(error: Error): void {
    this.stopped ??= error;
    this.pending?.reject(error);
    this.pending = null;
  }
}

/**
 * Up to `size` decode threads, started on demand and stopped after IDLE_MS without work; images
 * beyond `size` wait for a free thread ([Note: HEIC decode threads] in heic.ts). Where no thread
 * can start, decodes run on the calling thread, with the same code.
 */
export class HeicThreads {
  private readonly idle: DecodeThread[] = [];
  private readonly waiting: ((thread: DecodeThread | null) => void)[] = [];
  /** Threads started or starting, not yet stopped. */
  private threads = 0;
  private idleTimer: NodeJS.Timeout | null = null;
  private inThread: Libheif | null = null;
  /** Set once a thread could not start: decodes then run on the calling thread. */
  private unavailable = false;

  constructor(private readonly size: number) {}

  async decode(bytes: Uint8Array): Promise<RgbImage> {
    const thread = await this.acquire();
    if (!thread) return decodePrimaryImage(await this.libheifHere(), bytes);
    try {
      return await thread.decode(bytes);
    } finally {
      this.release(thread);
    }
  }

  /** Stops the idle threads now (busy ones stop IDLE_MS after their image). */
  async close(): Promise<void> {
    this.clearIdleTimer();
    const stopping = this.idle.splice(0);
    this.threads -= stopping.length;
    await Promise.all(stopping.map((thread) => thread.terminate()));
  }

  private async acquire(): Promise<DecodeThread | null> {
    this.clearIdleTimer();
    if (this.unavailable) return null;
    for (let ready = this.idle.pop(); ready; ready = this.idle.pop()) {
      if (ready.alive) return ready;
      this.threads--; // it stopped while idle
    }
    if (this.threads >= this.size) return new Promise((resolve) => this.waiting.push(resolve));
    this.threads++;
    try {
      return await DecodeThread.start();
    } catch {
      this.threads--;
      this.unavailable = true;
      for (const waiter of this.waiting.splice(0)) waiter(null);
      return null;
    }
  }

  private release(thread: DecodeThread): void {
    const next = this.waiting.shift();
    if (!thread.alive) {
      this.threads--;
      // A replacement starts for the next image in line.
      if (next) void this.acquire().then(next);
      return;
    }
    if (next) {
      next(thread);
      return;
    }
    this.idle.push(thread);
    if (this.waiting.length === 0) {
      this.idleTimer = setTimeout(() => void this.close(), IDLE_MS);
      this.idleTimer.unref();
    }
  }

  private clearIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  private async libheifHere(): Promise<Libheif> {
    if (!this.inThread) {
      const libheif = createRequire(import.meta.url)(LIBHEIF_PATH) as Libheif & {
        ready?: Promise<unknown>;
      };
      await libheif.ready;
      this.inThread = libheif;
    }
    return this.inThread;
  }
}
