import { useState } from 'react';
import type { DuplicateGroup, DuplicatePhoto } from '../../../../src-main/shared/types';
import { errorMessage, useBridge } from '../../api';
import { EmptyState } from '../../components/EmptyState';
import { ErrorMessage } from '../../components/ErrorMessage';
import { InlineConfirm } from '../../components/InlineConfirm';
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
 * marked with the reason. A copy can be moved to the OS trash (after an inline confirmation; the
 * user can restore it from there): it leaves its group at once, and a group with one copy left
 * leaves the list; the library forgets the file when its watcher sees it go.
 */
export function DuplicatesView({ embedded, notify }: DuplicatesViewProps) {
  const found = useDuplicates(embedded);
  const { progress, error } = found;
  const [trashed, setTrashed] = useState<ReadonlySet<string>>(new Set());
  const groups = found.groups && withoutTrashed(found.groups, trashed);
  const onTrashed = (path: string) => setTrashed((previous) => new Set(previous).add(path));
  if (error) return <ErrorMessage title="Could not look for duplicates" message={error} />;
  if (!groups) {
    const label =
      progress?.phase === 'comparing'
        ? 'Comparing photos'
        : progress?.phase === 'fingerprinting'
          ? 'Reading thumbnails'
          : 'Looking for duplicates';
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
        {plural(groups.length, 'group', 'groups')} of copies. Move to Trash moves a file to the
        system&apos;s trash, where you can restore it.
      </p>
      <ol className="duplicate-groups">
        {groups.map((group, index) => (
          <DuplicateRow key={index} group={group} notify={notify} onTrashed={onTrashed} />
        ))}
      </ol>
    </section>
  );
}

function withoutTrashed(groups: DuplicateGroup[], trashed: ReadonlySet<string>): DuplicateGroup[] {
  return groups.flatMap((group) => {
    const photos = group.photos.filter((photo) => !trashed.has(photo.path));
    return photos.length > 1 ? [{ ...group, photos }] : [];
  });
}

function DuplicateRow({
  group,
  notify,
  onTrashed,
}: {
  group: DuplicateGroup;
  notify: Notify;
  onTrashed: (path: string) => void;
}) {
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
            onTrashed={onTrashed}
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
  onTrashed: (path: string) => void;
}) {
  const { photo, suggested, reason, notify, onTrashed } = props;
  const bridge = useBridge();
  const [confirming, setConfirming] = useState(false);
  const name = baseName(photo.path);
  function moveToTrash() {
    setConfirming(false);
    bridge.shell['shell.trash'](photo.path).then(
      () => {
        onTrashed(photo.path);
        notify({ kind: 'info', message: `Moved ${name} to the trash.` });
      },
      (error: unknown) =>
        notify({
          kind: 'error',
          message: `Could not move ${name} to the trash: ${errorMessage(error)}`,
        }),
    );
  }
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
      {confirming ? (
        <InlineConfirm
          className="duplicate-confirm"
          question={`Move ${name} to the trash?`}
          action="Move to Trash"
          onConfirm={moveToTrash}
          onKeep={() => setConfirming(false)}
        />
      ) : (
        <div className="button-row">
          <button type="button" className="button button-small" onClick={showInFolder}>
            Show in folder
          </button>
          <button
            type="button"
            className="button button-small"
            aria-label={`Move to Trash: ${name}`}
            onClick={() => setConfirming(true)}
          >
            Move to Trash…
          </button>
        </div>
      )}
    </li>
  );
}
