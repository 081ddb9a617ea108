import { command, commandNamesOf } from '../../shared/command';
import type { ApiOf } from '../../shared/command';
import { coreCommands } from '../../shared/contract';
import type { PhotoId, VerifiedPhotoFile } from '../../shared/types';
import { createClient } from './client';
import type { Client } from './client';
import type { RpcTransport } from './transport';

/**
 * [Note: Host-only commands] The core host answers every contract command plus a few that only
 * the main process sends: the protocol handler asks for a thumbnail's file and for an original
 * that is still the file indexed, by photo id, and the shell actions check that a path is such a
 * file before opening or revealing it ([Note: Verified files]). The renderer cannot reach these:
 * the preload exposes, and main registers, contract commands only. Main sends them with ids it
 * parsed from a URL and paths its shell schemas checked, so they have no schemas of their own.
 */
export const hostCommands = {
  ...coreCommands,
  /** The thumbnail file of an indexed photo; null when there is no such photo. */
  'photos.thumbnailPath': command<[photoId: PhotoId], string | null>(),
  /** The photo's first file that is still the file indexed; null when none is. */
  'photos.verifiedFile': command<[photoId: PhotoId], VerifiedPhotoFile | null>(),
  /** Whether the path is an indexed file that is still the file indexed. */
  'files.isVerified': command<[file: string], boolean>(),
};

export type HostCommandName = keyof typeof hostCommands;
/** What the main process can ask of the core host: the contract's CoreApi and the host-only commands. */
export type HostApi = ApiOf<typeof hostCommands>;
export const hostCommandNames = commandNamesOf(hostCommands);

export type CoreClient = Client<HostApi>;

/** The core host's client: main's in the app, a test's or a bench's over a worker thread. */
export function createCoreClient(transport: RpcTransport): CoreClient {
  return createClient<HostApi>(transport, hostCommandNames);
}
