import { writeFile } from 'node:fs/promises';
import type { Precision } from './bench-models';

/** Command-line helpers shared by the bench scripts. */

export function positiveInt(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${flag} expects a whole number ≥ 1, got "${text}"`);
  }
  return value;
}

/** "10000,100000" → [10000, 100000]. */
export function positiveInts(text: string, flag: string): number[] {
  return text.split(',').map((part) => positiveInt(part.trim(), flag));
}

export function parsePrecisions(text: string): Precision[] {
  return text.split(',').map((part) => {
    if (part !== 'int8' && part !== 'fp32') {
      throw new Error(`--precisions takes int8 and/or fp32, not "${part}"`);
    }
    return part;
  });
}

/** Where a bench script hands its results to bench/run.ts. */
export async function writeJson(file: string, data: unknown): Promise<void> {
  await writeFile(file, `${JSON.stringify(data, null, 2)}\n`);
}
