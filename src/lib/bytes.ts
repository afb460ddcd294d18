// Byte counts as the console prints them ("1.5 kB"): the table, the lag pictures, and the
// walkthrough, which asks for the figure as the table shows it.
/** Shown for any value we do not know (null, NaN). */
export const UNKNOWN = '–';

const BYTE_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];

/** Binary steps (1024) because WAL segment and lag figures are powers of two. */
export function formatBytes(bytes: number | null): string {
  if (bytes === null || !Number.isFinite(bytes)) return UNKNOWN;
  const sign = bytes < 0 ? '-' : '';
  let v = Math.abs(bytes);
  let unit = 0;
  while (v >= 1024 && unit < BYTE_UNITS.length - 1) {
    v /= 1024;
    unit++;
  }
  // One decimal only where it carries information (1.5 kB), none for whole or large values.
  const text = unit === 0 || v >= 10 ? String(Math.round(v)) : trimZero(v.toFixed(1));
  return `${sign}${text} ${BYTE_UNITS[unit]}`;
}

function trimZero(fixed: string): string {
  return fixed.replace(/\.0+$/, '');
}
