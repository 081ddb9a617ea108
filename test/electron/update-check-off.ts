import path from 'node:path';
import { createUpdateCheck, UPDATE_URL } from '../../src-main/electron/update-check';
import type { UpdateCheck } from '../../src-main/electron/update-check';

/** The app's update check as a new user has it: off, so it never asks anything. */
export function updateCheckOff(folder: string): UpdateCheck {
  return createUpdateCheck({
    url: UPDATE_URL,
    currentVersion: '0.1.0',
    stateFile: path.join(folder, 'update-check.json'),
    openExternal: () => Promise.reject(new Error('no page is opened in these tests')),
  });
}
