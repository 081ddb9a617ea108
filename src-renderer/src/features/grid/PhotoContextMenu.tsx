import { useEffect, useRef } from 'react';
import type { KeyboardEvent } from 'react';
import { baseName } from '../../format';
import type { CopiedPhoto } from '../photo/use-photo-clipboard';

/** The menu's size at most, in CSS pixels (three items, see .context-menu). */
const MENU_WIDTH = 200;
const MENU_HEIGHT = 130;

export interface PhotoMenuItem {
  label: string;
  run: () => void;
}

export interface PhotoContextMenuProps {
  photo: CopiedPhoto;
  /** Where the menu opens (the pointer, or the cell for the keyboard), in window coordinates. */
  at: { x: number; y: number };
  items: PhotoMenuItem[];
  onClose: () => void;
}

/**
 * A cell's context menu (WAI-ARIA menu): it takes the focus, ↑/↓/Home/End move between the
 * items, Enter runs one, Escape and Tab close it, and so does a click or focus outside it.
 */
export function PhotoContextMenu({ photo, at, items, onClose }: PhotoContextMenuProps) {
  const menuRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const menu = menuRef.current;
    menu?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    const closeOutside = (event: Event) => {
      if (!(event.target instanceof Node) || !menu?.contains(event.target)) onClose();
    };
    window.addEventListener('pointerdown', closeOutside, true);
    window.addEventListener('focusin', closeOutside, true);
    return () => {
      window.removeEventListener('pointerdown', closeOutside, true);
      window.removeEventListener('focusin', closeOutside, true);
    };
  }, [onClose]);

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const entries = [
      ...(menuRef.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? []),
    ];
    const current = entries.indexOf(document.activeElement as HTMLElement);
    const last = entries.length - 1;
    const next =
      event.key === 'ArrowDown'
        ? (current + 1) % entries.length
        : event.key === 'ArrowUp'
          ? (current + last) % entries.length
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? last
              : null;
    if (next !== null) {
      event.preventDefault();
      entries[next]?.focus();
    } else if (event.key === 'Escape' || event.key === 'Tab') {
      // Handled here: the window's Escape (clear the search) does not run as well.
      event.preventDefault();
      onClose();
    }
  }

  return (
    <div
      ref={menuRef}
      className="context-menu"
      role="menu"
      aria-label={`Actions for ${baseName(photo.path)}`}
      // Kept inside the window near its right and bottom edges.
      style={{
        left: Math.min(at.x, window.innerWidth - MENU_WIDTH),
        top: Math.min(at.y, window.innerHeight - MENU_HEIGHT),
      }}
      onKeyDown={onKeyDown}
    >
      {items.map((item) => (
        <button
          key={item.label}
          type="button"
          role="menuitem"
          tabIndex={-1}
          className="context-menu-item"
          onClick={() => {
            onClose();
            item.run();
          }}
        >
          {item.label}
        </button>
      ))}
    </div>
  );
}
