import { parentPort } from 'node:worker_threads';
import { createCore } from '../core';
import type { CoreConfig } from '../core';
import type { ElectronStylePort, RpcTransport } from '../core/rpc/transport';
import { electronPortTransport, nodePortTransport } from '../core/rpc/transport';
import { serveHost } from './serve-host';

/**
 * The core host: runs the core beside the UI and serves it over the RPC ([Note: RPC transports]).
 * In the app it is an Electron utility process; in tests and tools, a worker thread. Plain Node.
 *
 * [Note: Host configuration] The host reads its folders from the environment,
 * PHOTOSEEK_DATA_DIR (user data: models, library) and PHOTOSEEK_RESOURCES_DIR (models.json).
 * Both a utility process and a worker thread take an `env` when started, while the layout of
 * their `process.argv` differs.
 */
function hostConfig(env: NodeJS.ProcessEnv): CoreConfig {
  const dataDir = env['PHOTOSEEK_DATA_DIR'];
  const resourcesDir = env['PHOTOSEEK_RESOURCES_DIR'];
  return {
    processLabel: 'the Photoseek app',
    ...(dataDir ? { dataDir } : {}),
    ...(resourcesDir ? { resourcesDir } : {}),
  };
}

/** Electron gives a utility process `process.parentPort`; a worker thread has worker_threads' parentPort. */
function parentTransport(): RpcTransport {
  const electronParentPort = (process as { parentPort?: ElectronStylePort }).parentPort;
  if (electronParentPort) return electronPortTransport(electronParentPort);
  if (parentPort) return nodePortTransport(parentPort);
  throw new Error('The core host must run as an Electron utility process or a worker thread.');
}

const core = createCore(hostConfig(process.env));
const host = serveHost(core, parentTransport());

/** Closes the library cleanly when the app stops the host (utilityProcess.kill sends SIGTERM). */
async function shutdown(): Promise<void> {
  await host.dispose();
  await core.dispose();
  process.exit(0);
}

process.once('SIGTERM', () => void shutdown());
process.once('SIGINT', () => void shutdown());
