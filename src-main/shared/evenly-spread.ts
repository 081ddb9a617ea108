/**
 * At most `count` of `items`, spread evenly over them (all of them when there are no more): the
 * calibration samples, the map's sample and "more like these" from a lasso use it.
 */
export function evenlySpread<T>(items: readonly T[], count: number): T[] {
  if (items.length <= count) return [...items];
  return Array.from({ length: count }, (_, i) => items[Math.floor((i * items.length) / count)]!);
}
