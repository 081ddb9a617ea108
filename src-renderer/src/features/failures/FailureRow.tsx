import type { Failure, FailureStage } from '../../../../src-main/shared/types';
import { Icon } from '../../components/Icon';
import { baseName, dirName, formatDate, plural } from '../../format';

const stageLabels: Record<FailureStage, string> = {
  read: 'Could not read',
  hash: 'Could not read',
  decode: 'Could not decode',
  thumbnail: 'Could not save preview',
  embed: 'Could not analyse',
  store: 'Could not save',
};

export interface FailureRowProps {
  failure: Failure;
  retrying: boolean;
  onRetry: (failure: Failure) => void;
  onShowInFolder: (path: string) => void;
}

export function FailureRow({ failure, retrying, onRetry, onShowInFolder }: FailureRowProps) {
  return (
    <li className="failure-row">
      <div className="failure-row-head">
        <span className={`stage-badge stage-${failure.stage}`}>{stageLabels[failure.stage]}</span>
        <strong className="failure-row-name" title={failure.path}>
          {baseName(failure.path)}
        </strong>
      </div>
      <p className="failure-row-message">{failure.message}</p>
      <p className="failure-row-meta">
        {dirName(failure.path)} · {failure.code} · tried {plural(failure.attempts, 'time', 'times')}
        , last {formatDate(failure.lastTry)}
      </p>
      <div className="button-row">
        <button
          type="button"
          className="button button-small"
          onClick={() => onShowInFolder(failure.path)}
        >
          <Icon name="folder" /> Show in folder
        </button>
        <button
          type="button"
          className="button button-small"
          // aria-disabled, not disabled: a disabled button drops keyboard focus to <body>.
          aria-disabled={retrying}
          onClick={() => !retrying && onRetry(failure)}
        >
          <Icon name="refresh" /> {retrying ? 'Retrying…' : 'Retry'}
        </button>
      </div>
    </li>
  );
}
