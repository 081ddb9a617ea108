import type { PhotoDetails, PhotoSummary } from '../../../../src-main/shared/types';
import { formatBytes, formatDate } from '../../format';

/** The photo's metadata; the search hit fills in what it knows while the full record loads. */
export function PhotoFacts({ hit, details }: { hit: PhotoSummary; details: PhotoDetails | null }) {
  const takenAt = details?.takenAt ?? hit.takenAt;
  const camera = details?.camera ?? hit.camera;
  const otherPaths = details?.paths.filter((path) => path !== hit.path) ?? [];
  return (
    <dl className="photo-facts">
      <dt>Taken</dt>
      <dd>{takenAt === null ? 'Unknown date' : formatDate(takenAt)}</dd>
      <dt>Camera</dt>
      <dd>{camera ?? 'Unknown camera'}</dd>
      <dt>Dimensions</dt>
      <dd>
        {hit.width} × {hit.height}
      </dd>
      {details && (
        <>
          <dt>Size</dt>
          <dd>
            {formatBytes(details.bytes)} · {details.format.toUpperCase()}
          </dd>
        </>
      )}
      <dt>Folder</dt>
      <dd className="photo-facts-path">{hit.folder}</dd>
      <dt>Path</dt>
      <dd className="photo-facts-path">{hit.path}</dd>
      {otherPaths.length > 0 && (
        <>
          <dt>Copies</dt>
          <dd className="photo-facts-path">
            {otherPaths.map((path) => (
              <div key={path}>{path}</div>
            ))}
          </dd>
        </>
      )}
      {details?.gps && (
        <>
          <dt>Place</dt>
          <dd>
            {details.place ?? 'No town nearby'}
            <div className="photo-facts-coordinates">
              {details.gps.latitude.toFixed(5)}, {details.gps.longitude.toFixed(5)}
            </div>
          </dd>
        </>
      )}
    </dl>
  );
}
