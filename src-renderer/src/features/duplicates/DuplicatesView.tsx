import type { DuplicateGroup, DuplicatePhoto } from '../../../../src-main/shared/types';
import { errorMessage, useBridge } from '../../api';
import { EmptyState } from '../../components/EmptyState';
import { ErrorMessage } from '../../components/ErrorMessage';
import { ProgressBar } from '../../components/ProgressBar';
import { baseName, dirName, formatBytes, plural } from '../../format';
import type { Notify } from '../notices/use-notice';
import { useDuplicates } from './use-duplicates';

export interface DuplicatesViewProps {
  /** Embedded photos: a finished index run looks again. */
  embedded: number;
  notify: Notify;
}

/**
 * Exact copies and groups of the same shot, one row of thumbnails per group, the copy to keep
 * marked with the reason. The view only shows: it never deletes or moves a file.
 */
export function DuplicatesView({ embedded, notify }: DuplicatesViewProps) {
  const { groups, progress, error } = useDuplicates(embedded);
  if (error) return <ErrorMessage title="Could not look for duplicates" message={error} />;
  if (!groups) {
    const label = progress?.phase === 'comparing' ? 'Comparing photos' : 'Looking for duplicates';
    return (
      <section className="duplicates-loading" aria-label="Looking for duplicates">
        <p>
          {progress?.phase === 'calibrating'
            ? 'Learning what “the same shot” means for this model (once)…'
            : `${label}…`}
        </p>
        <ProgressBar value={progress?.done ?? 0} total={progress?.total ?? null} label={label} />
      </section>
    );
  }
  if (groups.length === 0)
    return (
      <EmptyState icon="search" title="No duplicates">
        <p>No two photos in the library are copies of the same shot.</p>
      </EmptyState>
    );
  return (
    <section className="duplicates" aria-label="Duplicates">
      <p className="duplicates-summary">
        {plural(groups.length, 'group', 'groups')} of copies. Nothing is deleted here.
      </p>
      <ol className="duplicate-groups">
        {groups.map((group, index) => (
          <DuplicateRow key={index} group={group} notify={notify} />
        ))}
      </ol>
    </section>
  );
}

function DuplicateRow({ group, notify }: { group: DuplicateGroup; notify: Notify }) {
  const title =
    group.kind === 'exact'
      ? `Identical files (${group.photos.length})`
      : `Same shot (${group.photos.length})`;
  return (
    <li className="duplicate-group" aria-label={title}>
      <h3>{title}</h3>
      <ul className="duplicate-photos">
        {group.photos.map((photo) => (
          <DuplicateCopy
            key={photo.path}
            photo={photo}
            suggested={group.kind === 'similar' && photo.photoId === group.suggested}
            reason={group.reason}
            notify={notify}
          />
        ))}
      </ul>
      {group.kind === 'exact' && <p className="duplicate-reason">{group.reason}</p>}
    </li>
  );
}

function DuplicateCopy(props: {
  photo: DuplicatePhoto;
  suggested: boolean;
  reason: string;
  notify: Notify;
}) {
  const { photo, suggested, reason, notify } = props;
  const bridge = useBridge();
  function showInFolder() {
    bridge.shell['shell.showInFolder'](photo.path).catch((error: unknown) =>
      notify({ kind: 'error', message: `Could not show the file: ${errorMessage(error)}` }),
    );
  }
  return (
    <li className={suggested ? 'duplicate-copy duplicate-suggested' : 'duplicate-copy'}>
      <img src={bridge.thumbnailUrl(photo.photoId)} alt={baseName(photo.path)} loading="lazy" />
      {suggested && <p className="duplicate-keep">Keep: {reason}</p>}
      <p className="duplicate-name" title={photo.path}>
        {baseName(photo.path)}
      </p>
      <p className="duplicate-facts">
        {photo.width}×{photo.height} · {formatBytes(photo.bytes)}
      </p>
      <p className="duplicate-folder" title={dirName(photo.path)}>
        {dirName(photo.path)}
      </p>
      <button type="button" className="button" onClick={showInFolder}>
        Show in folder
      </button>
    </li>
  );
}
