/**
 * [Note: Fixed grid cells] Every cell is the same square, so the grid's geometry is known before
 * any thumbnail loads: the virtualiser needs no measuring, images never shift the layout, and a
 * scroll position maps straight to a row.
 */
export const CELL_SIZE = 168;
export const CELL_GAP = 8;
export const ROW_HEIGHT = CELL_SIZE + CELL_GAP;

export function columnsFor(width: number): number {
  return Math.max(1, Math.floor((width + CELL_GAP) / (CELL_SIZE + CELL_GAP)));
}

export function rowWidth(columns: number): number {
  return columns * CELL_SIZE + (columns - 1) * CELL_GAP;
}
