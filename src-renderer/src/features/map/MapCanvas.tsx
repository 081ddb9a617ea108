import KDBush from 'kdbush';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent, PointerEvent } from 'react';
import type { SimilarityMap } from '../../../../src-main/shared/types';
import { useBridge } from '../../api';
import {
  cameraOver,
  fitCamera,
  insidePolygon,
  panBy,
  toWorld,
  zoomAt,
  type Camera,
  type Size,
} from './map-camera';
import { DotLayer } from './dot-layer';
import { drawMap, type MapColours } from './map-draw';
import { ThumbnailCache } from './thumbnail-cache';

export interface MapCanvasProps {
  map: SimilarityMap;
  /** Rows of `map` that are selected. */
  selected: ReadonlySet<number>;
  onSelect: (rows: number[]) => void;
  onOpen: (photoId: number) => void;
  /** A plain drag draws a lasso instead of panning (Shift-drag always does). */
  lassoMode: boolean;
  /** Map rectangle to show, [minX, minY, maxX, maxY]; a new array moves the camera there. */
  focus: readonly number[] | null;
  describedBy: string;
}

/** Pixels a press may move and still be a click; the hover and click reach of a dot. */
const CLICK_SLOP = 4;
const HIT_PX = 8;
const KEY_PAN_PX = 80;
const KEY_ZOOM = 1.25;

type Drag =
  | { kind: 'pan'; x: number; y: number; moved: boolean }
  | { kind: 'lasso'; points: [number, number][] }
  | { kind: 'pinch'; distance: number; x: number; y: number };

/**
 * The similarity map on a 2-D canvas ([Note: Map thumbnails] in map-draw.ts): wheel or pinch to
 * zoom, drag to pan, Shift-drag (or the lasso mode) to select, hover for the photo, click to open
 * it; keys + and − zoom, the arrows pan, 0 shows everything, Escape clears the selection.
 * Frames are drawn on demand, at most one per animation frame.
 *
 * [Note: Touch pinch] A trackpad pinch arrives as ctrl+wheel; a touch screen's as two pointers.
 * While two are down the map zooms by the change of their distance about their midpoint and
 * pans with the midpoint (the world point under the fingers stays under them); the lasso and the
 * click are off for the gesture, and the finger left down goes on panning.
 */
export function MapCanvas(props: MapCanvasProps) {
  const { map, selected, onSelect, onOpen, lassoMode, focus, describedBy } = props;
  const bridge = useBridge();
  const wrapperRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [size, setSize] = useState<Size>({ width: 0, height: 0 });
  const camera = useRef<Camera | null>(null);
  const drag = useRef<Drag | null>(null);
  const pointers = useRef(new Map<number, [number, number]>());
  const [hover, setHover] = useState<{ row: number; x: number; y: number } | null>(null);
  const frame = useRef(0);
  const dots = useRef(new DotLayer());
  const index = useMemo(() => {
    const built = new KDBush(Math.max(1, map.photoIds.length));
    map.photoIds.forEach((_, row) => built.add(map.x[row]!, map.y[row]!));
    built.finish();
    return built;
  }, [map]);

  // A thumbnail that finished loading is drawn in the next frame.
  const [loadedThumbnails, setLoadedThumbnails] = useState(0);
  const thumbnails = useMemo(
    () =>
      new ThumbnailCache(
        (photoId) => bridge.thumbnailUrl(photoId),
        () => setLoadedThumbnails((count) => count + 1),
      ),
    [bridge],
  );

  const draw = useCallback(() => {
    cancelAnimationFrame(frame.current);
    frame.current = requestAnimationFrame(() => {
      const canvas = canvasRef.current;
      const context = canvas?.getContext('2d');
      if (!canvas || !context || !camera.current || size.width === 0) return;
      const ratio = window.devicePixelRatio || 1;
      context.setTransform(ratio, 0, 0, ratio, 0, 0);
      drawMap(
        context,
        size,
        ratio,
        camera.current,
        {
          map,
          index,
          selected,
          hovered: hover?.row ?? null,
          lasso: drag.current?.kind === 'lasso' ? drag.current.points : null,
        },
        themeColours(canvas),
        { dots: dots.current, thumbnails },
      );
    });
  }, [size, map, index, selected, hover, thumbnails]);
  const drawRef = useRef(draw);
  useEffect(() => {
    drawRef.current = draw;
  }, [draw]);

  useEffect(() => {
    const wrapper = wrapperRef.current;
    if (!wrapper) return;
    const observer = new ResizeObserver(([entry]) => {
      const { width, height } = entry!.contentRect;
      setSize({ width: Math.floor(width), height: Math.floor(height) });
    });
    observer.observe(wrapper);
    return () => observer.disconnect();
  }, []);

  // A new focus moves the camera; hover, selection or a resize keep it where the user put it.
  useEffect(() => {
    if (size.width === 0) return;
    camera.current = focus ? cameraOver(size, focus) : (camera.current ?? fitCamera(size));
    drawRef.current();
  }, [focus, size]);

  // A theme change restyles the canvas: draw again with its colours.
  useEffect(() => {
    const redraw = () => drawRef.current();
    const observer = new MutationObserver(redraw);
    observer.observe(document.documentElement, {
      attributes: true,
      attributeFilter: ['data-theme'],
    });
    const query = matchMedia('(prefers-color-scheme: dark)');
    query.addEventListener('change', redraw);
    return () => {
      observer.disconnect();
      query.removeEventListener('change', redraw);
    };
  }, []);

  // React's onWheel is passive: zooming must prevent the page from scrolling.
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const onWheel = (event: WheelEvent) => {
      if (!camera.current) return;
      event.preventDefault();
      const factor = Math.exp(-event.deltaY * (event.ctrlKey ? 0.01 : 0.0015));
      const [sx, sy] = localPoint(canvas, event);
      camera.current = zoomAt(camera.current, size, factor, sx, sy);
      drawRef.current();
    };
    canvas.addEventListener('wheel', onWheel, { passive: false });
    return () => canvas.removeEventListener('wheel', onWheel);
  }, [size]);

  function rowAt(sx: number, sy: number): number | null {
    if (!camera.current) return null;
    const [wx, wy] = toWorld(camera.current, size, sx, sy);
    let best: number | null = null;
    let bestDistance = Infinity;
    for (const row of index.within(wx, wy, HIT_PX / camera.current.scale)) {
      const distance = (map.x[row]! - wx) ** 2 + (map.y[row]! - wy) ** 2;
      if (distance < bestDistance) {
        best = row;
        bestDistance = distance;
      }
    }
    return best;
  }

  function onPointerDown(event: PointerEvent<HTMLCanvasElement>) {
    if (event.button !== 0 || !camera.current) return;
    event.currentTarget.setPointerCapture(event.pointerId);
    const [sx, sy] = localPoint(event.currentTarget, event);
    pointers.current.set(event.pointerId, [sx, sy]);
    if (pointers.current.size === 2) {
      drag.current = { kind: 'pinch', ...pinchOf(pointers.current) };
      setHover(null);
      return;
    }
    if (pointers.current.size > 2) return;
    drag.current =
      lassoMode || event.shiftKey
        ? { kind: 'lasso', points: [toWorld(camera.current, size, sx, sy)] }
        : { kind: 'pan', x: sx, y: sy, moved: false };
    setHover(null);
  }

  function onPointerMove(event: PointerEvent<HTMLCanvasElement>) {
    if (!camera.current) return;
    const [sx, sy] = localPoint(event.currentTarget, event);
    const current = drag.current;
    if (pointers.current.has(event.pointerId)) pointers.current.set(event.pointerId, [sx, sy]);
    if (current?.kind === 'pinch') {
      if (pointers.current.size !== 2) return;
      const next = pinchOf(pointers.current);
      const zoomed = zoomAt(camera.current, size, next.distance / current.distance, next.x, next.y);
      camera.current = panBy(zoomed, next.x - current.x, next.y - current.y);
      drag.current = { kind: 'pinch', ...next };
      draw();
    } else if (current?.kind === 'pan') {
      if (Math.hypot(sx - current.x, sy - current.y) > CLICK_SLOP) current.moved = true;
      if (!current.moved) return;
      camera.current = panBy(camera.current, sx - current.x, sy - current.y);
      current.x = sx;
      current.y = sy;
      draw();
    } else if (current?.kind === 'lasso') {
      current.points.push(toWorld(camera.current, size, sx, sy));
      draw();
    } else {
      const row = rowAt(sx, sy);
      setHover(row === null ? null : { row, x: sx, y: sy });
    }
  }

  function onPointerUp(event: PointerEvent<HTMLCanvasElement>) {
    pointers.current.delete(event.pointerId);
    const current = drag.current;
    drag.current = null;
    if (current?.kind === 'pinch') {
      const [rest] = pointers.current.values();
      if (rest) drag.current = { kind: 'pan', x: rest[0], y: rest[1], moved: true };
    } else if (current?.kind === 'lasso') {
      onSelect(rowsInside(current.points));
      draw();
    } else if (current?.kind === 'pan' && !current.moved) {
      const [sx, sy] = localPoint(event.currentTarget, event);
      const row = rowAt(sx, sy);
      if (row !== null) onOpen(map.photoIds[row]!);
    }
  }

  function rowsInside(polygon: readonly [number, number][]): number[] {
    if (polygon.length < 3) return [];
    const xs = polygon.map(([x]) => x);
    const ys = polygon.map(([, y]) => y);
    return index
      .range(Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys))
      .filter((row) => insidePolygon(map.x[row]!, map.y[row]!, polygon))
      .sort((a, b) => a - b);
  }

  function onKeyDown(event: KeyboardEvent<HTMLCanvasElement>) {
    const view = camera.current;
    if (!view) return;
    const centre = [size.width / 2, size.height / 2] as const;
    const moves: Record<string, () => Camera> = {
      '+': () => zoomAt(view, size, KEY_ZOOM, ...centre),
      '=': () => zoomAt(view, size, KEY_ZOOM, ...centre),
      '-': () => zoomAt(view, size, 1 / KEY_ZOOM, ...centre),
      ArrowLeft: () => panBy(view, KEY_PAN_PX, 0),
      ArrowRight: () => panBy(view, -KEY_PAN_PX, 0),
      ArrowUp: () => panBy(view, 0, KEY_PAN_PX),
      ArrowDown: () => panBy(view, 0, -KEY_PAN_PX),
      '0': () => fitCamera(size),
    };
    if (event.key === 'Escape' && selected.size > 0) {
      event.preventDefault();
      onSelect([]);
      return;
    }
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    camera.current = move();
    draw();
  }

  useEffect(() => draw(), [draw, loadedThumbnails]);

  const ratio = typeof window === 'undefined' ? 1 : window.devicePixelRatio || 1;
  const hoveredCluster = hover ? map.clusters[map.cluster[hover.row]!] : undefined;
  return (
    <div className="map-canvas-wrapper" ref={wrapperRef}>
      <canvas
        ref={canvasRef}
        className={lassoMode ? 'map-canvas map-canvas-lasso' : 'map-canvas'}
        width={size.width * ratio}
        height={size.height * ratio}
        style={{ width: size.width, height: size.height }}
        tabIndex={0}
        role="application"
        aria-roledescription="map"
        aria-label={`Similarity map of ${map.photoIds.length.toLocaleString('en-US')} photos`}
        aria-describedby={describedBy}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={(event) => {
          pointers.current.delete(event.pointerId);
          drag.current = null;
          draw();
        }}
        onPointerLeave={() => setHover(null)}
        onKeyDown={onKeyDown}
      />
      {hover && (
        <div className="map-tooltip" style={{ left: hover.x + 14, top: hover.y + 14 }}>
          <img src={bridge.thumbnailUrl(map.photoIds[hover.row]!)} alt="" />
          <span>{hoveredCluster?.name ?? 'Not in a cluster yet'}</span>
        </div>
      )}
    </div>
  );
}

/** Two touch points' distance and midpoint. */
function pinchOf(points: ReadonlyMap<number, [number, number]>): {
  distance: number;
  x: number;
  y: number;
} {
  const [[ax, ay], [bx, by]] = [...points.values()] as [[number, number], [number, number]];
  return {
    distance: Math.max(1, Math.hypot(bx - ax, by - ay)),
    x: (ax + bx) / 2,
    y: (ay + by) / 2,
  };
}

function localPoint(
  element: Element,
  event: { clientX: number; clientY: number },
): [number, number] {
  const box = element.getBoundingClientRect();
  return [event.clientX - box.left, event.clientY - box.top];
}

function themeColours(canvas: HTMLCanvasElement): MapColours {
  const style = getComputedStyle(canvas);
  return { text: style.color, background: style.backgroundColor, accent: style.borderTopColor };
}
