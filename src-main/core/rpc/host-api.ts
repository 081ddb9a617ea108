import { z } from 'zod';
import { absolutePath, commandArgs } from '../../shared/contract';
import type { CommandResults } from '../../shared/contract';
import type { VerifiedPhotoFile } from '../../shared/types';

/**
 * [Note: Host-only commands] The core host answers every contract command plus a few that only
 * the main process sends: the protocol handler asks for a thumbnail's file and for an original
 * that is still the file indexed, by photo id, and the shell actions check that a path is such a
 * file before opening or revealing it ([Note: Verified files]). The renderer cannot reach these:
 * the preload exposes, and main registers, contract commands only.
 */
const photoId = z.number().int().positive();

export const hostArgs = {
  ...commandArgs,
  'photos.thumbnailPath': z.tuple([photoId]),
  'photos.verifiedFile': z.tuple([photoId]),
  'files.isVerified': z.tuple([absolutePath]),
} as const;

export type HostCommandName = keyof typeof hostArgs;
export type HostCommandArgs<K extends HostCommandName> = z.infer<(typeof hostArgs)[K]>;

export interface HostResults extends CommandResults {
  /** The thumbnail file of an indexed photo; null when there is no such photo. */
  'photos.thumbnailPath': string | null;
  /** The photo's first file that is still the file indexed; null when none is. */
  'photos.verifiedFile': VerifiedPhotoFile | null;
  /** Whether the path is an indexed file that is still the file indexed. */
  'files.isVerified': boolean;
}

/** What the main process can ask of the core host: the contract's CoreApi and the host-only commands. */
export type HostApi = {
  [K in HostCommandName]: (...args: HostCommandArgs<K>) => Promise<HostResults[K]>;
};

export const hostCommandNames = Object.keys(hostArgs) as HostCommandName[];
