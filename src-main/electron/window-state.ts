import { readFileSync, writeFileSync } from 'node:fs';
import type { BrowserWindow, Rectangle } from 'electron';
import { z } from 'zod';

/**
 * The main window's size, position and maximised state, remembered in a small JSON file in the
 * user data folder. A saved position that no longer lies on any display (a monitor was unplugged)
 * is dropped, so the window never opens off-screen.
 */
const WindowStateSchema = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().min(400).max(16_384),
  height: z.number().int().min(300).max(16_384),
  maximized: z.boolean(),
});

export interface WindowState {
  bounds: { width: number; height: number } | Rectangle;
  maximized: boolean;
}

const DEFAULT_STATE: WindowState = { bounds: { width: 1280, height: 820 }, maximized: false };

export function loadWindowState(file: string, workAreas: readonly Rectangle[]): WindowState {
  let saved: z.infer<typeof WindowStateSchema>;
  try {
    saved = WindowStateSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return DEFAULT_STATE;
  }
  const { x, y, width, height, maximized } = saved;
  const placed = x !== undefined && y !== undefined ? { x, y, width, height } : undefined;
  const visible = placed && workAreas.some((area) => showsEnough(area, placed));
  return { bounds: visible ? placed : { width, height }, maximized };
}

/** Saves the window's state when it closes. */
export function rememberWindowState(window: BrowserWindow, file: string): void {
  window.on('close', () => {
    const state = { ...window.getNormalBounds(), maximized: window.isMaximized() };
    try {
      writeFileSync(file, JSON.stringify(state));
    } catch (error) {
      console.warn(`Could not remember the window position in ${file}:`, error);
    }
  });
}

/** Whether enough of the window lies on a display's work area to grab it and move it. */
function showsEnough(area: Rectangle, window: Rectangle): boolean {
  const MIN_VISIBLE_PX = 100;
  const width = Math.min(area.x + area.width, window.x + window.width) - Math.max(area.x, window.x);
  const height =
    Math.min(area.y + area.height, window.y + window.height) - Math.max(area.y, window.y);
  return width >= MIN_VISIBLE_PX && height >= MIN_VISIBLE_PX;
}
