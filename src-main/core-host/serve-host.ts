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
 * live from the start ([Note: Live from the start]: the core goes live once a model is installed).
 */
export function serveHost(core: Core, transport: RpcTransport): ServedHost {
  const server = serve(transport, coreHandlers(core), { subscribe: coreEvents(core) });
  const stopLive = core.watch({ whenModelInstalled: true });
  return {
    async dispose() {
      server.dispose();
      await stopLive();
    },
  };
}
