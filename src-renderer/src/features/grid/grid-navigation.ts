export interface GridShape {
  count: number;
  columns: number;
  /** Rows that fit on one screen, for Page Up / Page Down. */
  pageRows: number;
}

const navigationKeys = new Set([
  'ArrowRight',
  'ArrowLeft',
  'ArrowDown',
  'ArrowUp',
  'PageDown',
  'PageUp',
  'Home',
  'End',
]);

/** The index a navigation key moves the selection to, or null when the key does not navigate. */
export function indexAfterKey(
  key: string,
  current: number | null,
  { count, columns, pageRows }: GridShape,
): number | null {
  if (count === 0 || !navigationKeys.has(key)) return null;
  const last = count - 1;
  if (current === null) return key === 'End' ? last : 0;
  const clamp = (index: number) => Math.min(last, Math.max(0, index));
  switch (key) {
    case 'ArrowRight':
      return clamp(current + 1);
    case 'ArrowLeft':
      return clamp(current - 1);
    case 'ArrowDown':
      return current + columns <= last ? current + columns : current;
    case 'ArrowUp':
      return current - columns >= 0 ? current - columns : current;
    case 'PageDown':
      return clamp(current + columns * pageRows);
    case 'PageUp':
      return clamp(current - columns * pageRows);
    case 'Home':
      return 0;
    default: // 'End'
      return last;
  }
}
