import type { Core } from '../core';
import { coreEvents, coreHandlers } from '../core/rpc/core-handlers';
import { serve } from '../core/rpc/server';
import type { RpcTransport } from '../core/rpc/transport';

export interface ServedHost {
  /** Stops answering and leaves live mode; the core itself stays open for its owner to dispose. */
  dispose(): Promise<void>;
}

/**
 * What the core host does with its core, apart from starting: serve every host command over
 * `transport`, forward the core's global events ([Note: Global core events]) and keep the library
 * live.
 *
 * [Note: Live from the start] The app's library follows the disk by itself: the host enters live
 * mode (core.watch: reconcile every folder, then watch them) as soon as a model is installed, at
 * start or after models.download / models.use / folders.add. Once live, the core restarts its
 * watchers on folder and model changes, so a folder added from the UI is indexed without an
 * index.start, and the UI learns of it through 'index.progress'.
 */
export function serveHost(core: Core, transport: RpcTransport): ServedHost {
  let stopLive: (() => Promise<void>) | undefined;

  /** Never throws: a library that cannot go live still answers commands (the error is logged). */
  function goLive(): void {
    try {
      if (!stopLive && core.status().model) stopLive = core.watch();
    } catch (error) {
      console.error('The library could not start following its folders:', error);
    }
  }

  async function thenGoLive<T>(result: T | Promise<T>): Promise<T> {
    const value = await result;
    goLive();
    return value;
  }

  const handlers = coreHandlers(core);
  const server = serve(
    transport,
    {
      ...handlers,
      'folders.add': (call, folder) => thenGoLive(handlers['folders.add'](call, folder)),
      'models.download': (call, id) => thenGoLive(handlers['models.download'](call, id)),
      'models.use': (call, id) => thenGoLive(handlers['models.use'](call, id)),
    },
    { subscribe: coreEvents(core) },
  );
  goLive();

  return {
    async dispose() {
      server.dispose();
      await stopLive?.();
      stopLive = undefined;
    },
  };
}
