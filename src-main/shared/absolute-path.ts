/**
 * [Note: Paths across the boundary] A path that reaches the core from the renderer must name one
 * file or folder with no help from where the core runs: absolute (a relative one would be read
 * from the core host's working folder, so `folders.add('.')` added wherever the app was started)
 * and already in plain form, which is the form the library stores (no `.` or `..` parts, no
 * doubled or trailing separator, no NUL byte that the operating system would cut the path at).
 * A path in another form is refused rather than tidied up, so what the user is told matches what
 * the core does. Windows paths (`C:\…`, `\\server\share\…`) are also refused with a trailing dot or
 * space in a part, which Windows drops, so that one file cannot be named two ways.
 *
 * Pure, without `node:path`: the contract is bundled into the sandboxed preload and the
 * renderer's tests. The platform is the one this code runs on (main and the core host know it;
 * a browser has no `process` and gets POSIX rules).
 */
export type PathPlatform = 'posix' | 'win32';

const WINDOWS_DRIVE = /^[A-Za-z]:[\\/]/;
const WINDOWS_UNC = /^[\\/]{2}[^\\/]+[\\/][^\\/]+/;

export function runtimePathPlatform(): PathPlatform {
  const runtime = (globalThis as { process?: { platform?: string } }).process;
  return runtime?.platform === 'win32' ? 'win32' : 'posix';
}

const rules = {
  posix: {
    example: '/home/you/Pictures',
    separator: '/',
    root: (value: string) => (value.startsWith('/') ? '/' : null),
    plainPart: (part: string) => part !== '' && part !== '.' && part !== '..',
    form: 'without "." or ".." parts and without doubled or trailing slashes',
  },
  win32: {
    example: 'C:\\Users\\you\\Pictures',
    separator: '\\',
    root: windowsRoot,
    plainPart: (part: string) =>
      part !== '' && part !== '.' && part !== '..' && !part.includes('/') && !/[. ]$/.test(part),
    form: 'with backslashes only, without "." or ".." parts, doubled or trailing backslashes, or parts ending in a dot or a space',
  },
} as const;

/** Why `value` is not an absolute path in plain form, in words for a person; null when it is. */
export function absolutePathProblem(value: string, platform: PathPlatform): string | null {
  const rule = rules[platform];
  if (value.includes('\0'))
    return 'The path contains a NUL character, which no file name can hold.';
  const root = rule.root(value);
  if (root === null) {
    return `"${value}" is a relative path. Give the full path from the top of the disk, such as ${rule.example}.`;
  }
  const rest = value.slice(root.length);
  const plainRoot = platform === 'posix' || !root.includes('/');
  if (plainRoot && (rest === '' || rest.split(rule.separator).every(rule.plainPart))) return null;
  return `"${value}" is not a plain path. Write it ${rule.form}, such as ${rule.example}.`;
}

/** The drive or share a Windows path starts with (`C:\`, `\\server\share\`), or null. */
function windowsRoot(value: string): string | null {
  const drive = WINDOWS_DRIVE.exec(value);
  if (drive) return drive[0];
  const share = WINDOWS_UNC.exec(value);
  if (!share) return null;
  return value.slice(0, share[0].length + 1);
}
