import { useEffect, useEffectEvent, useState } from 'react';
import { useBridge } from '../../api';
import { isInternalDrag } from './internal-drag';
import { canAccept, captureDrop } from './read-drop';
import type { CapturedDrop } from './read-drop';

/**
 * Makes the whole window a drop target for files and links, and says whether something is being
 * dragged over it. Every drop is stopped from navigating the window to the dropped file. A photo
 * dragged out of the window is not one dropped in ([Note: Drags that start in the window]).
 */
export function useWindowDrop(onDrop: (drop: CapturedDrop) => void): boolean {
  const [dragging, setDragging] = useState(false);
  const { pathForFile } = useBridge();
  const handleDrop = useEffectEvent((data: DataTransfer) => onDrop(captureDrop(data, pathForFile)));

  useEffect(() => {
    // dragenter/dragleave fire for every child element crossed; count them to know when the drag left.
    let depth = 0;
    const enter = (event: DragEvent) => {
      if (isInternalDrag() || !canAccept(event.dataTransfer)) return;
      depth++;
      setDragging(true);
    };
    const leave = () => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const over = (event: DragEvent) => {
      if (isInternalDrag() || !canAccept(event.dataTransfer)) return;
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    };
    const drop = (event: DragEvent) => {
      event.preventDefault();
      depth = 0;
      setDragging(false);
      if (event.dataTransfer) handleDrop(event.dataTransfer);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragleave', leave);
    window.addEventListener('dragover', over);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('dragover', over);
      window.removeEventListener('drop', drop);
    };
  }, []);

  return dragging;
}
