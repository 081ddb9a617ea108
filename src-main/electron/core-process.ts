import { proxyOf } from '../shared/command';
import { eventNames } from '../shared/contract';
import type { EventName } from '../shared/contract';
import { PhotoseekError } from '../shared/errors';
import { createCoreClient, hostCommandNames } from '../core/rpc/host-api';
import type { CoreClient, HostApi } from '../core/rpc/host-api';
import { nodePortTransport } from '../core/rpc/transport';

/** A started core host: Electron's UtilityProcess in the app (a worker thread fits too). */
export interface HostProcess {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  off(event: 'message', listener: (message: unknown) => void): unknown;
  kill(): unknown;
}

export interface CoreHostOptions {
  /** Starts a fresh host process. */
  spawn(): HostProcess;
  /** Every event the core pushes, from whichever host process is current. */
  onEvent(event: EventName, payload: unknown): void;
  /** An unexpected exit; a new host starts after `restartInMs`. */
  onCrash(code: number, restartInMs: number): void;
}

export interface CoreHost {
  /** The core's API. Calls made while the host restarts wait for the new one. */
  readonly api: HostApi;
  /** Stops the host for good (app quit): no restart, waiting and later calls fail. */
  stop(): void;
}

/**
 * [Note: Core host restarts] The core runs in its own process so that a native crash (a corrupt
 * image in a decoder, a GPU driver) takes down the core host, never the window. When the host
 * exits unexpectedly, calls in flight fail with INTERNAL (the UI shows them as errors) and a new
 * host starts after a back-off: 1 s, 2 s, 4 s … up to a minute while it keeps crashing, back to
 * 1 s once a host has run for a minute. Indexing resumes from the persistent job state.
 */
const FIRST_DELAY_MS = 1_000;
const MAX_DELAY_MS = 60_000;
const HEALTHY_RUN_MS = 60_000;

function restartDelay(crashesInARow: number): number {
  return Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.max(0, crashesInARow - 1));
}

export function startCoreHost(options: CoreHostOptions): CoreHost {
  let current: { process: HostProcess; client: CoreClient } | undefined;
  let crashesInARow = 0;
  let stopped = false;
  let pendingRestart: { timer: NodeJS.Timeout; fail(error: PhotoseekError): void } | undefined;
  let ready: Promise<CoreClient>;

  function launch(): CoreClient {
    const child = options.spawn();
    const client = createCoreClient(nodePortTransport(child));
    for (const event of eventNames) client.on(event, (payload) => options.onEvent(event, payload));
    const startedAt = Date.now();
    child.on('exit', (code) => {
      client.dispose(
        new PhotoseekError(
          'INTERNAL',
          `The photo library process stopped (exit code ${code}); it restarts by itself.`,
        ),
      );
      current = undefined;
      if (stopped) return;
      crashesInARow = Date.now() - startedAt >= HEALTHY_RUN_MS ? 1 : crashesInARow + 1;
      const delay = restartDelay(crashesInARow);
      options.onCrash(code, delay);
      scheduleRestart(delay);
    });
    current = { process: child, client };
    return client;
  }

  /** Calls made meanwhile wait on `ready`, which resolves to the new host's client. */
  function scheduleRestart(delay: number): void {
    ready = new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        pendingRestart = undefined;
        try {
          resolve(launch());
        } catch (error) {
          reject(
            new PhotoseekError(
              'INTERNAL',
              `The photo library process cannot start: ${String(error)}`,
            ),
          );
        }
      }, delay);
      pendingRestart = { timer, fail: reject };
    });
    ready.catch(() => undefined);
  }

  ready = Promise.resolve(launch());

  const api = proxyOf<HostApi>(hostCommandNames, async (command, args) =>
    (await ready).call(command, args),
  );

  return {
    api,
    stop() {
      stopped = true;
      const stoppedError = new PhotoseekError('INTERNAL', 'Photoseek is shutting down.');
      if (pendingRestart) {
        clearTimeout(pendingRestart.timer);
        pendingRestart.fail(stoppedError);
      }
      current?.client.dispose(stoppedError);
      current?.process.kill();
      ready = Promise.reject(stoppedError);
      ready.catch(() => undefined);
    },
  };
}
