/**
 * [Note: RPC transports] The RPC needs only "post a message" and "receive messages". Every
 * MessagePort-like endpoint offers both, but they hand a listener different things: worker_threads
 * ports and an Electron UtilityProcess (seen from main) pass the message itself, Electron's
 * MessagePortMain and a utility process's `process.parentPort` pass a `{ data }` event, and a
 * browser MessagePort dispatches a DOM MessageEvent. One adapter per kind, chosen by the caller
 * who knows what it holds, rather than guessing from the shape of each message.
 */
export interface RpcTransport {
  postMessage(message: unknown): void;
  /** Delivers every incoming message to `listener` until the returned function is called. */
  onMessage(listener: (message: unknown) => void): () => void;
}

/** worker_threads MessagePort, parentPort and Worker; Electron's UtilityProcess in main. */
export interface NodeStylePort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  off(event: 'message', listener: (message: unknown) => void): unknown;
}

/** Electron's MessagePortMain and `process.parentPort` inside a utility process. */
export interface ElectronStylePort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  off(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  start?(): void;
}

/** A browser (or Node's web-compatible) MessagePort. */
export interface DomStylePort {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: Event) => void): void;
  removeEventListener(type: 'message', listener: (event: Event) => void): void;
  start(): void;
}

export function nodePortTransport(port: NodeStylePort): RpcTransport {
  return {
    postMessage: (message) => port.postMessage(message),
    onMessage(listener) {
      port.on('message', listener);
      return () => port.off('message', listener);
    },
  };
}

export function electronPortTransport(port: ElectronStylePort): RpcTransport {
  return {
    postMessage: (message) => port.postMessage(message),
    onMessage(listener) {
      const unwrap = (event: { data: unknown }): void => listener(event.data);
      port.on('message', unwrap);
      port.start?.();
      return () => port.off('message', unwrap);
    },
  };
}

export function domPortTransport(port: DomStylePort): RpcTransport {
  return {
    postMessage: (message) => port.postMessage(message),
    onMessage(listener) {
      // A 'message' listener always receives a MessageEvent.
      const unwrap = (event: Event): void => listener((event as Event & { data: unknown }).data);
      port.addEventListener('message', unwrap);
      port.start();
      return () => port.removeEventListener('message', unwrap);
    },
  };
}
