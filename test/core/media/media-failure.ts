import { expect } from 'vitest';
import { MediaError } from '../../../src-main/core/media';

/** The MediaError a decode rejects with (the test fails if it resolves or rejects otherwise). */
export async function mediaFailure(promise: Promise<unknown>): Promise<MediaError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MediaError);
  return error as MediaError;
}
