import { memo } from 'react';
import type { MouseEvent } from 'react';
import type { PhotoSummary, Relevance } from '../../../../src-main/shared/types';
import { baseName, formatScore } from '../../format';
import { describeMatch, MatchStrength } from './MatchStrength';

export interface PhotoCellProps {
  /** A search hit shows its strength; a photo of the home timeline has none. */
  hit: PhotoSummary & { score?: number; relevance?: Relevance };
  index: number;
  thumbnailUrl: string;
  selected: boolean;
  /** The keyboard's position in a grid where selection is separate from it (Home). */
  current?: boolean;
  onClick: (index: number, event: MouseEvent<HTMLDivElement>) => void;
}

export const PhotoCell = memo(function PhotoCell({
  hit,
  index,
  thumbnailUrl,
  selected,
  current = false,
  onClick,
}: PhotoCellProps) {
  const name = baseName(hit.path);
  const { score, relevance } = hit;
  const label =
    score === undefined
      ? name
      : relevance === undefined
        ? `${name}, score ${formatScore(score)}`
        : `${name}, ${describeMatch(relevance, score).toLowerCase()}`;
  return (
    <div
      id={cellId(hit.photoId)}
      className="photo-cell"
      role="option"
      aria-selected={selected}
      aria-label={label}
      data-index={index}
      data-current={current || undefined}
      title={hit.path}
      draggable
      onClick={(event) => onClick(index, event)}
    >
      <img src={thumbnailUrl} alt="" loading="lazy" decoding="async" draggable={false} />
      {score !== undefined && relevance !== undefined && (
        <MatchStrength relevance={relevance} score={score} />
      )}
    </div>
  );
});

export function cellId(photoId: number): string {
  return `photo-${photoId}`;
}

/** The photo a rendered cell shows (its id and path), read back from the cell's element. */
export function photoOfCell(cell: HTMLElement): { photoId: number; path: string } | null {
  const photoId = Number(/^photo-(\d+)$/.exec(cell.id)?.[1]);
  return Number.isSafeInteger(photoId) && photoId > 0 ? { photoId, path: cell.title } : null;
}
