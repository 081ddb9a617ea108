import { Icon } from '../../components/Icon';

/** Shown while an image is dragged over the window; it lets every event pass through. */
export function DropOverlay() {
  return (
    <div className="drop-overlay" aria-hidden="true">
      <div className="drop-overlay-card">
        <Icon name="image" />
        <p>Drop an image to find similar photos</p>
        <p className="drop-overlay-sub">or a folder to add it to your library</p>
      </div>
    </div>
  );
}
