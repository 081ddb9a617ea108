import { Icon } from '../../components/Icon';
import type { Notice } from './use-notice';

export function NoticeBar({ notice, onDismiss }: { notice: Notice; onDismiss: () => void }) {
  return (
    <div
      className={`notice notice-${notice.kind}`}
      role={notice.kind === 'error' ? 'alert' : 'status'}
    >
      {notice.kind === 'error' && <Icon name="warning" />}
      <span className="notice-message">{notice.message}</span>
      {notice.action && (
        <button
          type="button"
          className="button"
          onClick={() => {
            onDismiss();
            notice.action?.run();
          }}
        >
          {notice.action.label}
        </button>
      )}
      <button type="button" className="icon-button" aria-label="Dismiss" onClick={onDismiss}>
        <Icon name="close" />
      </button>
    </div>
  );
}
