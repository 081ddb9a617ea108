import { createContext, useContext } from 'react';
import type { PhotoseekBridge } from '../../src-main/shared/contract';

/**
 * [Note: Renderer client] The preload puts the contract's bridge on `window.photoseek`; the
 * renderer reads it once at start-up and hands it down through React context, so components
 * never touch the global and a test can mount the app over an in-memory fake of the same type.
 */
declare global {
  interface Window {
    photoseek?: PhotoseekBridge;
  }
}

export function getBridge(): PhotoseekBridge | null {
  return window.photoseek ?? null;
}

export const BridgeContext = createContext<PhotoseekBridge | null>(null);

export function useBridge(): PhotoseekBridge {
  const bridge = useContext(BridgeContext);
  if (!bridge) throw new Error('useBridge() outside <BridgeContext>');
  return bridge;
}

/** Commands reject with `{ code, message }`-shaped errors (see shared/errors.ts). */
export function errorMessage(error: unknown): string {
  if (
    typeof error === 'object' &&
    error !== null &&
    'message' in error &&
    typeof error.message === 'string'
  ) {
    return error.message;
  }
  return String(error);
}

export function isCancelled(error: unknown): boolean {
  return (
    typeof error === 'object' && error !== null && 'code' in error && error.code === 'CANCELLED'
  );
}
