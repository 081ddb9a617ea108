import { useCallback, useEffect, useRef, useState } from 'react';
import type { PointerEvent, RefObject } from 'react';

/** How the photo sits in the stage: `scale` 1 fits it, `x`/`y` move its centre (CSS pixels). */
export interface ZoomState {
  scale: number;
  x: number;
  y: number;
}

/** A point relative to the stage's centre, where a wheel turn or a double-click zooms. */
interface Point {
  x: number;
  y: number;
}

export interface Zoom {
  state: ZoomState;
  zoomed: boolean;
  zoomIn: () => void;
  zoomOut: () => void;
  fit: () => void;
  /** Moves the photo by a share of its shown size (arrow keys). */
  panBy: (dx: number, dy: number) => void;
  onDoubleClick: (event: { clientX: number; clientY: number }) => void;
  onPointerDown: (event: PointerEvent<HTMLElement>) => void;
  onPointerMove: (event: PointerEvent<HTMLElement>) => void;
  onPointerUp: (event: PointerEvent<HTMLElement>) => void;
}

export const MAX_SCALE = 8;
const STEP = 1.5;
const DOUBLE_CLICK_SCALE = 2.5;
/** Arrow keys move the zoomed photo by this share of the stage. */
export const PAN_STEP = 0.1;
const FIT: ZoomState = { scale: 1, x: 0, y: 0 };

/**
 * [Note: Photo zoom] The full-size photo (photo://) is laid out to fit the stage and zoomed with
 * a CSS transform (translate, then scale about its centre), so the browser scales the decoded
 * image on the GPU and no second request is made. Zooming at a point keeps the photo's pixel
 * under that point in place; the photo is kept from leaving the stage (its edge stops at the
 * stage's edge). Wheel, double-click, the buttons and +/−/0 zoom; drag and the arrow keys pan
 * while zoomed (unzoomed, the arrows step through the results). A new photo starts fitted.
 */
export function useZoom(
  stageRef: RefObject<HTMLElement | null>,
  imageRef: RefObject<HTMLImageElement | null>,
  /** The photo shown: another one starts fitted. */
  photoId: number,
): Zoom {
  const [stored, setStored] = useState({ photoId, zoom: FIT });
  const state = stored.photoId === photoId ? stored.zoom : FIT;
  const setState = useCallback(
    (next: ZoomState | ((current: ZoomState) => ZoomState)) =>
      setStored((previous) => {
        const current = previous.photoId === photoId ? previous.zoom : FIT;
        return { photoId, zoom: typeof next === 'function' ? next(current) : next };
      }),
    [photoId],
  );
  const drag = useRef<{ pointerId: number; x: number; y: number } | null>(null);

  const clamp = useCallback(
    (next: ZoomState): ZoomState => {
      const image = imageRef.current;
      const scale = Math.min(MAX_SCALE, Math.max(1, next.scale));
      if (!image || scale === 1) return FIT;
      const limitX = ((scale - 1) * image.offsetWidth) / 2;
      const limitY = ((scale - 1) * image.offsetHeight) / 2;
      return {
        scale,
        x: Math.max(-limitX, Math.min(limitX, next.x)),
        y: Math.max(-limitY, Math.min(limitY, next.y)),
      };
    },
    [imageRef],
  );

  const zoomAt = useCallback(
    (factor: number, at: Point = { x: 0, y: 0 }) =>
      setState((current) => {
        const scale = Math.min(MAX_SCALE, Math.max(1, current.scale * factor));
        const ratio = scale / current.scale;
        return clamp({
          scale,
          x: at.x - (at.x - current.x) * ratio,
          y: at.y - (at.y - current.y) * ratio,
        });
      }),
    [clamp, setState],
  );

  const fromStageCentre = useCallback(
    (clientX: number, clientY: number): Point => {
      const box = stageRef.current?.getBoundingClientRect();
      if (!box) return { x: 0, y: 0 };
      return { x: clientX - box.left - box.width / 2, y: clientY - box.top - box.height / 2 };
    },
    [stageRef],
  );

  // React's wheel listeners are passive; this one must stop the page from scrolling.
  useEffect(() => {
    const stage = stageRef.current;
    if (!stage) return;
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      zoomAt(Math.exp(-event.deltaY / 300), fromStageCentre(event.clientX, event.clientY));
    };
    stage.addEventListener('wheel', onWheel, { passive: false });
    return () => stage.removeEventListener('wheel', onWheel);
  }, [stageRef, zoomAt, fromStageCentre]);

  return {
    state,
    zoomed: state.scale > 1,
    zoomIn: () => zoomAt(STEP),
    zoomOut: () => zoomAt(1 / STEP),
    fit: () => setState(FIT),
    panBy: (dx, dy) => {
      const image = imageRef.current;
      if (!image) return;
      setState((current) =>
        clamp({
          ...current,
          x: current.x + dx * image.offsetWidth,
          y: current.y + dy * image.offsetHeight,
        }),
      );
    },
    onDoubleClick: (event) => {
      if (state.scale > 1) setState(FIT);
      else zoomAt(DOUBLE_CLICK_SCALE, fromStageCentre(event.clientX, event.clientY));
    },
    onPointerDown: (event) => {
      // A captured pointer would take the clicks of the buttons over the photo.
      const onControl = event.target instanceof Element && event.target.closest('button');
      if (state.scale === 1 || event.button !== 0 || onControl) return;
      event.currentTarget.setPointerCapture(event.pointerId);
      drag.current = { pointerId: event.pointerId, x: event.clientX, y: event.clientY };
    },
    onPointerMove: (event) => {
      const start = drag.current;
      if (!start || start.pointerId !== event.pointerId) return;
      drag.current = { ...start, x: event.clientX, y: event.clientY };
      setState((current) =>
        clamp({
          ...current,
          x: current.x + event.clientX - start.x,
          y: current.y + event.clientY - start.y,
        }),
      );
    },
    onPointerUp: (event) => {
      if (drag.current?.pointerId === event.pointerId) drag.current = null;
    },
  };
}
