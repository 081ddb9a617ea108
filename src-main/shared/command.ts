/**
 * [Note: Commands as types] A command is a name, the types of its arguments and the type of its
 * result. A table of them (`{ 'photos.get': command<[photoId: PhotoId], PhotoDetails>() }`) is
 * the only place a command is spelled out: its keys are the names at run time (the preload and
 * every proxy need them) and its entries carry the types, so an API type, a proxy and a served
 * implementation all follow from one table. No validation library is involved; the argument
 * schemas live beside the table in their own module (shared/contract-schemas.ts), which only
 * main and the tests load ([Note: Validated once, in main]).
 */
export interface Command<Args extends unknown[], Result> {
  /** Types only: never set at run time. */
  readonly args?: Args;
  readonly result?: Result;
}

/** One command of a table; at run time an empty object, so a table costs its names only. */
export function command<Args extends unknown[] = [], Result = void>(): Command<Args, Result> {
  return {};
}

export type ArgsOf<C> = C extends Command<infer Args, unknown> ? Args : never;
export type ResultOf<C> = C extends Command<unknown[], infer Result> ? Result : never;

/** A table's commands as a caller sees them: one async function per command. */
export type ApiOf<Table> = {
  [K in keyof Table]: (...args: ArgsOf<Table[K]>) => Promise<ResultOf<Table[K]>>;
};

/** The names of a table, in its order. */
export function commandNamesOf<Table extends object>(table: Table): (keyof Table & string)[] {
  return Object.keys(table) as (keyof Table & string)[];
}

/**
 * An API object with one function per name, each handing its name and arguments to `call`: the
 * one proxy every caller uses (the preload over IPC, main over the RPC, tests over HTTP). A plain
 * object rather than a JS Proxy, because the context bridge copies only an object's own
 * functions.
 */
export function proxyOf<Api>(
  names: readonly (keyof Api & string)[],
  call: (command: keyof Api & string, args: unknown[]) => Promise<unknown>,
): Api {
  const entries = names.map((name) => [name, (...args: unknown[]) => call(name, args)]);
  // One function per name of the API, each forwarding its arguments: the Api shape.
  return Object.fromEntries(entries) as Api;
}
