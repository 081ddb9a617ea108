import { Icon } from '../../components/Icon';
import type { Notify } from '../notices/use-notice';
import type { CopiedPhoto } from './use-photo-clipboard';
import { usePhotoClipboard } from './use-photo-clipboard';

/** The photo view's Copy image and Copy path buttons. */
export function PhotoCopyActions({ photo, notify }: { photo: CopiedPhoto; notify: Notify }) {
  const clipboard = usePhotoClipboard(notify);
  return (
    <>
      <button type="button" className="button" onClick={() => clipboard.copyImage(photo)}>
        <Icon name="copy" /> Copy image
      </button>
      <button type="button" className="button" onClick={() => clipboard.copyPath(photo)}>
        <Icon name="copy" /> Copy path
      </button>
    </>
  );
}
