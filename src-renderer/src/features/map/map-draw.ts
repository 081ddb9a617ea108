import type KDBush from 'kdbush';
import type { SimilarityMap } from '../../../../src-main/shared/types';
import { fitCamera, toScreen, visibleBounds, type Camera, type Size } from './map-camera';
import { packColour, type DotLayer } from './dot-layer';
import type { ThumbnailCache } from './thumbnail-cache';

/** What one frame shows: the map, its spatial index (rows), the selection, hover and lasso. */
export interface MapScene {
  map: SimilarityMap;
  index: KDBush;
  selected: ReadonlySet<number>;
  hovered: number | null;
  /** The lasso being drawn, in map coordinates. */
  lasso: readonly (readonly [number, number])[] | null;
}

/** Colours from the canvas' computed style, so the map follows the theme ([Note: Themes]). */
export interface MapColours {
  text: string;
  background: string;
  accent: string;
}

/** One colour per top cluster (repeating after 10; the labels tell them apart), readable on both themes. */
export const CLUSTER_COLOURS = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#59a14f',
  '#b07aa1',
  '#76b7b2',
  '#edc948',
  '#ff9da7',
  '#9c755f',
  '#8cd17d',
] as const;
const NO_CLUSTER = '#8a8f98';

/**
 * [Note: Map thumbnails] Dots while many photos are in view; once at most THUMBNAIL_LIMIT are,
 * each is drawn as its thumbnail (THUMBNAIL_PX, loaded once through the bridge's thumbnail URL
 * and cached), so zooming into a region turns it into a contact sheet.
 */
export const THUMBNAIL_LIMIT = 250;
const THUMBNAIL_PX = 56;

const PACKED_COLOURS = CLUSTER_COLOURS.map(packColour);
const PACKED_NO_CLUSTER = packColour(NO_CLUSTER);

/** Draws one frame; `ratio` is the canvas' device pixels per CSS pixel. */
export function drawMap(
  context: CanvasRenderingContext2D,
  size: Size,
  ratio: number,
  camera: Camera,
  scene: MapScene,
  colours: MapColours,
  layers: { dots: DotLayer; thumbnails: ThumbnailCache },
): void {
  const { map, index, selected, hovered, lasso } = scene;
  const [minX, minY, maxX, maxY] = visibleBounds(camera, size);
  const visible = index.range(minX, minY, maxX, maxY);
  const zoom = camera.scale / fitCamera(size).scale;
  const radius = Math.min(6, Math.max(1.5, 1.5 * Math.sqrt(zoom)));

  const { dots, thumbnails } = layers;
  dots.begin(
    context,
    Math.round(size.width * ratio),
    Math.round(size.height * ratio),
    packColour(colours.background),
  );
  const accent = packColour(colours.accent);
  // Device pixels of a map point, inlined: no array per point in the frame's hottest loops.
  const scale = camera.scale * ratio;
  const offsetX = (size.width / 2) * ratio - camera.centreX * scale;
  const offsetY = (size.height / 2) * ratio - camera.centreY * scale;
  // Selected photos first, as a larger accent square under their dot.
  if (selected.size > 0) {
    for (const row of visible) {
      if (!selected.has(row)) continue;
      const x = map.x[row]! * scale + offsetX;
      dots.square(x, map.y[row]! * scale + offsetY, (radius + 2) * ratio, accent);
    }
  }
  for (const row of visible) {
    const cluster = map.cluster[row]!;
    const colour =
      cluster < 0 ? PACKED_NO_CLUSTER : PACKED_COLOURS[cluster % PACKED_COLOURS.length]!;
    dots.square(
      map.x[row]! * scale + offsetX,
      map.y[row]! * scale + offsetY,
      radius * ratio,
      colour,
    );
  }
  dots.finish(context);

  const thumbnailsShown = visible.length <= THUMBNAIL_LIMIT;
  const ring = thumbnailsShown ? THUMBNAIL_PX / 2 + 2 : radius + 2;
  context.lineWidth = 2;
  context.strokeStyle = colours.accent;
  if (thumbnailsShown) {
    context.beginPath();
    for (const row of visible) {
      const [sx, sy] = toScreen(camera, size, map.x[row]!, map.y[row]!);
      const image = thumbnails.get(map.photoIds[row]!);
      if (image) {
        const fit = THUMBNAIL_PX / Math.max(image.naturalWidth, image.naturalHeight, 1);
        const width = image.naturalWidth * fit;
        const height = image.naturalHeight * fit;
        context.drawImage(image, sx - width / 2, sy - height / 2, width, height);
      }
      if (selected.has(row)) context.rect(sx - ring, sy - ring, ring * 2, ring * 2);
    }
    context.stroke();
  }

  drawLabels(context, size, camera, map, colours);

  if (lasso && lasso.length > 1) {
    context.beginPath();
    lasso.forEach(([x, y], i) => {
      const [sx, sy] = toScreen(camera, size, x, y);
      if (i === 0) context.moveTo(sx, sy);
      else context.lineTo(sx, sy);
    });
    context.closePath();
    context.setLineDash([6, 4]);
    context.stroke();
    context.setLineDash([]);
  }

  if (hovered !== null) {
    const [sx, sy] = toScreen(camera, size, map.x[hovered]!, map.y[hovered]!);
    context.strokeStyle = colours.text;
    context.beginPath();
    context.arc(sx, sy, ring + 3, 0, Math.PI * 2);
    context.stroke();
  }
}

function drawLabels(
  context: CanvasRenderingContext2D,
  size: Size,
  camera: Camera,
  map: SimilarityMap,
  colours: MapColours,
): void {
  context.font = '600 13px system-ui, sans-serif';
  context.textAlign = 'center';
  context.textBaseline = 'middle';
  map.clusters.forEach((cluster, i) => {
    const [sx, sy] = toScreen(camera, size, cluster.x, cluster.y);
    if (sx < -100 || sy < -20 || sx > size.width + 100 || sy > size.height + 20) return;
    const width = context.measureText(cluster.name).width + 14;
    context.globalAlpha = 0.88;
    context.fillStyle = colours.background;
    context.beginPath();
    context.roundRect(sx - width / 2, sy - 11, width, 22, 11);
    context.fill();
    context.globalAlpha = 1;
    context.strokeStyle = CLUSTER_COLOURS[i % CLUSTER_COLOURS.length]!;
    context.lineWidth = 2;
    context.stroke();
    context.fillStyle = colours.text;
    context.fillText(cluster.name, sx, sy);
  });
}
