import { memo } from 'react';
import type { SearchHit } from '../../../../src-main/shared/types';
import { baseName, formatScore } from '../../format';

export interface PhotoCellProps {
  hit: SearchHit;
  index: number;
  thumbnailUrl: string;
  selected: boolean;
  onClick: (index: number) => void;
}

export const PhotoCell = memo(function PhotoCell({
  hit,
  index,
  thumbnailUrl,
  selected,
  onClick,
}: PhotoCellProps) {
  const name = baseName(hit.path);
  return (
    <div
      id={cellId(hit.photoId)}
      className="photo-cell"
      role="option"
      aria-selected={selected}
      aria-label={`${name}, score ${formatScore(hit.score)}`}
      data-index={index}
      title={hit.path}
      onClick={() => onClick(index)}
    >
      <img src={thumbnailUrl} alt="" loading="lazy" decoding="async" draggable={false} />
      <span className="photo-score">{formatScore(hit.score)}</span>
    </div>
  );
});

export function cellId(photoId: number): string {
  return `photo-${photoId}`;
}
