import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { absolutePathProblem } from '../../src-main/shared/absolute-path';
import { commandArgs, shellArgs } from '../../src-main/shared/contract-schemas';

/** The message main sends back for refused arguments (ipc.ts), for one command. */
function refusal(schema: z.ZodType, args: unknown[]): string | null {
  const parsed = schema.safeParse(args);
  return parsed.success ? null : z.prettifyError(parsed.error);
}

/**
 * [Note: Paths across the boundary]: every path argument of the contract is absolute and in plain
 * form, refused otherwise with a sentence that says what is wrong and what a good path looks like.
 */
describe('contract paths', () => {
  const add = commandArgs['folders.add'];

  it('refuses a relative folder, naming it and showing a full path', () => {
    for (const relative of ['.', '..', 'relative/x', 'Pictures', './Pictures', '~/Pictures']) {
      const message = refusal(add, [relative]);
      expect(message, relative).toContain(`"${relative}" is a relative path.`);
      expect(message, relative).toContain('such as /home/you/Pictures');
    }
  });

  it('refuses absolute paths that are not in plain form', () => {
    const notPlain = ['/a/../b', '/a/./b', '/a/b/', '/a//b', '//a', '/a/b/.', '/a/b/..', '/..'];
    for (const value of notPlain) {
      expect(refusal(add, [value]), value).toContain(`"${value}" is not a plain path.`);
    }
  });

  it('refuses an empty path, a NUL byte and an over-long path', () => {
    expect(refusal(add, [''])).toContain('A path is required.');
    expect(refusal(add, ['/photos/a\0.jpg'])).toContain('NUL character');
    expect(refusal(add, [`/${'a'.repeat(4096)}`])).toContain('longer than 4,096 characters');
  });

  it('accepts absolute paths in plain form, as the folder picker gives them', () => {
    for (const value of [
      '/',
      '/home/ana/Pictures',
      '/media/usb stick/DCIM',
      '/a/..b/c.',
      '/é/x y',
    ]) {
      expect(refusal(add, [value]), value).toBeNull();
    }
  });

  it('checks every path argument of the contract, the search folder filter included', () => {
    expect(refusal(commandArgs['folders.remove'], ['photos'])).toContain('relative path');
    expect(refusal(commandArgs['failures.retry'], ['/a/../etc/passwd'])).toContain('not a plain');
    expect(refusal(commandArgs['index.start'], [['.']])).toContain('relative path');
    expect(refusal(commandArgs['search.text'], ['red', { folders: ['x'] }])).toContain('relative');
    expect(
      refusal(commandArgs['search.combined'], [{ photoIds: [1], text: 'red' }, { folders: ['x'] }]),
    ).toContain('relative');
    expect(refusal(shellArgs['shell.openPath'], ['IMG_1.jpg'])).toContain('relative path');
    expect(refusal(shellArgs['shell.showInFolder'], ['/a/./b.jpg'])).toContain('not a plain');
    expect(refusal(commandArgs['models.add'], ['models/mine'])).toContain('relative path');
    expect(
      refusal(commandArgs['models.compare'], [{ folder: '/a/../etc', models: ['clip'] }]),
    ).toContain('not a plain');
  });

  it('has no command that searches by an image file named by the renderer', () => {
    expect(Object.keys(commandArgs)).not.toContain('search.imageFile');
    expect(Object.keys(commandArgs)).toContain('search.imageBytes');
  });

  it('agrees with node:path on POSIX: plain means absolute and unchanged by normalize', () => {
    const samples = ['/', '/a', '/a/b', '/a/', '/a//b', '/a/./b', '/a/../b', 'a', './a', '/.a/b..'];
    for (const value of samples) {
      const plain =
        path.posix.isAbsolute(value) &&
        path.posix.normalize(value) === value &&
        (value === '/' || !value.endsWith('/'));
      expect(absolutePathProblem(value, 'posix') === null, value).toBe(plain);
    }
  });

  it('knows Windows paths: drives and shares, backslashes only, no trailing dot or space', () => {
    const plain = ['C:\\', 'C:\\Users\\ana\\Pictures', '\\\\nas\\photos', '\\\\nas\\photos\\2019'];
    for (const value of plain) expect(absolutePathProblem(value, 'win32'), value).toBeNull();
    const relative = ['Pictures', 'C:Pictures', '\\Users\\ana', '.\\a'];
    for (const value of relative) {
      expect(absolutePathProblem(value, 'win32'), value).toMatch(/is a relative path.*C:\\Users/);
    }
    const notPlain = [
      'C:\\a\\..\\b',
      'C:\\a\\.\\b',
      'C:\\a\\',
      'C:\\a\\\\b',
      'C:/Users/ana',
      'C:\\Users/ana',
      'C:\\photo.jpg.',
      'C:\\photo.jpg ',
      '\\\\nas\\photos\\\\x',
    ];
    for (const value of notPlain) {
      expect(absolutePathProblem(value, 'win32'), value).toContain('is not a plain path');
    }
  });
});
