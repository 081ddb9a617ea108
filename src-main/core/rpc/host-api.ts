import { z } from 'zod';
import { commandArgs } from '../../shared/contract';
import type { CommandResults } from '../../shared/contract';
import type { LibraryFolder, PhotoId } from '../../shared/types';

/**
 * [Note: Host-only commands] The core host answers every contract command plus a few that only
 * the main process sends: the protocol handler asks for a thumbnail's file by photo id, and the
 * shell actions check that a path belongs to the library before opening it. The renderer cannot
 * reach these: the preload exposes, and main registers, contract commands only.
 */
const photoId = z.number().int().positive();
const absolutePath = z.string().min(1).max(4096);

export const hostArgs = {
  ...commandArgs,
  'photos.thumbnailPath': z.tuple([photoId]),
  'photos.idForFile': z.tuple([absolutePath]),
  'folders.list': z.tuple([]),
} as const;

export type HostCommandName = keyof typeof hostArgs;
export type HostCommandArgs<K extends HostCommandName> = z.infer<(typeof hostArgs)[K]>;

export interface HostResults extends CommandResults {
  /** The thumbnail file of an indexed photo; null when there is no such photo. */
  'photos.thumbnailPath': string | null;
  'photos.idForFile': PhotoId | null;
  'folders.list': LibraryFolder[];
}

/** What the main process can ask of the core host: the contract's CoreApi and the host-only commands. */
export type HostApi = {
  [K in HostCommandName]: (...args: HostCommandArgs<K>) => Promise<HostResults[K]>;
};

export const hostCommandNames = Object.keys(hostArgs) as HostCommandName[];
