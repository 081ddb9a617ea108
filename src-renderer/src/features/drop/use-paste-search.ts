import { useEffect, useEffectEvent } from 'react';
import type { CapturedDrop } from './read-drop';

/**
 * [Note: Pasted images] Ctrl/Cmd+V with an image on the clipboard (a copied picture or a copied
 * image file) searches by it, as dropping it would: the paste becomes a drop of that file. In a
 * text field the clipboard's text wins when it has some (a browser puts both the image and its
 * address there), so pasting words into the search box stays a text paste; anywhere else the
 * image wins. A paste without an image is left alone.
 */
export function usePasteSearch(onDrop: (drop: CapturedDrop) => void): void {
  const handlePaste = useEffectEvent((event: ClipboardEvent) => {
    const data = event.clipboardData;
    if (!data || event.defaultPrevented) return;
    if (isTextField(event.target) && data.types.includes('text/plain')) return;
    const image = [...data.items]
      .filter((item) => item.kind === 'file' && item.type.startsWith('image/'))
      .map((item) => item.getAsFile())
      .find((file) => file !== null);
    if (!image) return;
    event.preventDefault();
    onDrop({ files: [{ file: image, isDirectory: false, path: '' }], url: null });
  });

  useEffect(() => {
    window.addEventListener('paste', handlePaste);
    return () => window.removeEventListener('paste', handlePaste);
  }, []);
}

function isTextField(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLTextAreaElement ||
    (target instanceof HTMLInputElement && !['button', 'checkbox', 'radio'].includes(target.type))
  );
}
