import { useCallback, useState } from 'react';
import type { PhotoSummary } from '../../../../src-main/shared/types';
import { usePhotoMarks } from './use-photo-marks';
import type { PhotoMarks } from './use-photo-marks';
import { useTimeline } from './use-timeline';
import type { Timeline } from './use-timeline';

export interface PhotoViewer {
  photo: PhotoSummary;
  /** The photo's place in the timeline ("n of N"). */
  position: { index: number; total: number };
  close: () => void;
  previous: (() => void) | null;
  next: (() => void) | null;
}

export interface Home {
  timeline: Timeline;
  marks: PhotoMarks;
  open: (position: number) => void;
  /** The photo opened from Home, with ←/→ through the timeline; null when none is open. */
  viewer: PhotoViewer | null;
}

/** Home's state: the paged timeline, the marked photos and the photo opened from it. */
export function useHome(libraryVersion: number): Home {
  const timeline = useTimeline(libraryVersion);
  const marks = usePhotoMarks(timeline.photoAt);
  const [openPosition, setOpenPosition] = useState<number | null>(null);
  const close = useCallback(() => setOpenPosition(null), []);

  const { photoAt } = timeline;
  const photo = openPosition === null ? undefined : photoAt(openPosition);
  const stepTo = (position: number) => (photoAt(position) ? () => setOpenPosition(position) : null);
  const viewer =
    photo && openPosition !== null
      ? {
          photo,
          position: { index: openPosition, total: timeline.total },
          close,
          previous: stepTo(openPosition - 1),
          next: stepTo(openPosition + 1),
        }
      : null;
  return { timeline, marks, open: setOpenPosition, viewer };
}
