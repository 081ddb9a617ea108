import { errorMessage, useBridge } from '../../api';
import { Icon } from '../../components/Icon';
import type { Notify } from '../notices/use-notice';
import type { ImageQuery } from './search-request';

export interface ChooseImageButtonProps {
  disabled: boolean;
  /** Runs the image search, as a dropped image does. */
  onImage: (query: ImageQuery) => void;
  notify: Notify;
}

/**
 * Choose image…: the open dialog in main, which reads the chosen file and answers its bytes
 * ([Note: Chosen images]); they are searched like a dropped image (`search.imageBytes`).
 */
export function ChooseImageButton({ disabled, onImage, notify }: ChooseImageButtonProps) {
  const { shell } = useBridge();

  function choose() {
    shell['shell.chooseImage']().then(
      (image) => {
        if (!image) return;
        const bytes = Uint8Array.from(image.bytes);
        onImage({
          kind: 'bytes',
          bytes,
          label: image.name,
          previewUrl: URL.createObjectURL(new Blob([bytes])),
        });
      },
      (error: unknown) =>
        notify({ kind: 'error', message: `Could not read the image: ${errorMessage(error)}` }),
    );
  }

  return (
    <button type="button" className="button choose-image" disabled={disabled} onClick={choose}>
      <Icon name="image" /> Choose image…
    </button>
  );
}
