/** What part of the map the canvas shows: the world point at its centre and pixels per unit. */
export interface Camera {
  centreX: number;
  centreY: number;
  scale: number;
}

export interface Size {
  width: number;
  height: number;
}

/** The map's coordinates lie in [-1, 1]; the whole map with a margin. */
export function fitCamera({ width, height }: Size): Camera {
  return { centreX: 0, centreY: 0, scale: Math.max(1, Math.min(width, height) / 2.2) };
}

export const MIN_ZOOM = 0.5;
export const MAX_ZOOM = 400;

export function toScreen(camera: Camera, size: Size, x: number, y: number): [number, number] {
  return [
    size.width / 2 + (x - camera.centreX) * camera.scale,
    size.height / 2 + (y - camera.centreY) * camera.scale,
  ];
}

export function toWorld(camera: Camera, size: Size, sx: number, sy: number): [number, number] {
  return [
    camera.centreX + (sx - size.width / 2) / camera.scale,
    camera.centreY + (sy - size.height / 2) / camera.scale,
  ];
}

/** Zooms by `factor` keeping the world point under (sx, sy) in place, within the zoom limits. */
export function zoomAt(camera: Camera, size: Size, factor: number, sx: number, sy: number): Camera {
  const fit = fitCamera(size).scale;
  const scale = Math.min(fit * MAX_ZOOM, Math.max(fit * MIN_ZOOM, camera.scale * factor));
  const [wx, wy] = toWorld(camera, size, sx, sy);
  return {
    scale,
    centreX: wx - (sx - size.width / 2) / scale,
    centreY: wy - (sy - size.height / 2) / scale,
  };
}

export function panBy(camera: Camera, dx: number, dy: number): Camera {
  return {
    ...camera,
    centreX: camera.centreX - dx / camera.scale,
    centreY: camera.centreY - dy / camera.scale,
  };
}

/** The world rectangle the canvas shows: [minX, minY, maxX, maxY]. */
export function visibleBounds(camera: Camera, size: Size): [number, number, number, number] {
  const [minX, minY] = toWorld(camera, size, 0, 0);
  const [maxX, maxY] = toWorld(camera, size, size.width, size.height);
  return [minX, minY, maxX, maxY];
}

/** A camera that shows the rectangle, with a margin. */
export function cameraOver(size: Size, [minX, minY, maxX, maxY]: readonly number[]): Camera {
  const spanX = Math.max(maxX! - minX!, 0.05);
  const spanY = Math.max(maxY! - minY!, 0.05);
  return {
    centreX: (minX! + maxX!) / 2,
    centreY: (minY! + maxY!) / 2,
    scale: Math.min(size.width / spanX, size.height / spanY) / 1.2,
  };
}

/**
 * [Note: Lasso test] Even-odd ray casting over the lasso's vertices. Hand-written: eight lines,
 * the same as the point-in-polygon package, which ships no types.
 */
export function insidePolygon(
  x: number,
  y: number,
  polygon: readonly (readonly number[])[],
): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i]!;
    const [xj, yj] = polygon[j]!;
    if (yi! > y !== yj! > y && x < ((xj! - xi!) * (y - yi!)) / (yj! - yi!) + xi!) inside = !inside;
  }
  return inside;
}
