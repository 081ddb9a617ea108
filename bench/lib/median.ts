import { percentile } from './percentile';

/** The median (nearest rank: the lower middle value of an even count) of several runs. */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}
