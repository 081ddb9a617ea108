import { z } from 'zod';
import type { ErrorCode } from '../../shared/errors';
import type { Reply } from '../../shared/reply';

/**
 * [Note: RPC wire format] Plain structured-clone data, so every transport carries it:
 *   client → server  `{ id, command, args }` a call;  `{ cancel: id }` aborts that call's signal
 *   server → client  `{ id, ...Reply }`: `{ id, ok: true, value }` | `{ id, ok: false, error }`
 *                    ([Note: One reply envelope]);  `{ event, payload }` pushed at any time
 * Errors travel as data ([Note: Errors as data]); nothing depends on stack traces or classes.
 * Incoming messages are parsed, and anything else is ignored, so a stray message on a shared
 * port can never be mistaken for a call or a reply. A call's arguments are not checked here:
 * that is main's job, once ([Note: Validated once, in main]).
 */
const messageId = z.number().int().nonnegative();

const CallMessageSchema = z.object({
  id: messageId,
  command: z.string(),
  args: z.array(z.unknown()),
});
const CancelMessageSchema = z.object({ cancel: messageId });
const ReplyMessageSchema = z.union([
  z.object({ id: messageId, ok: z.literal(true), value: z.unknown() }),
  z.object({
    id: messageId,
    ok: z.literal(false),
    error: z.object({ code: z.string(), message: z.string() }),
  }),
]);
const EventMessageSchema = z.object({ event: z.string(), payload: z.unknown() });

export type CallMessage = z.infer<typeof CallMessageSchema>;
export type CancelMessage = z.infer<typeof CancelMessageSchema>;
export type ReplyMessage = { id: number } & Reply;
export type EventMessage = z.infer<typeof EventMessageSchema>;

export function parseClientMessage(raw: unknown): CallMessage | CancelMessage | null {
  return CallMessageSchema.safeParse(raw).data ?? CancelMessageSchema.safeParse(raw).data ?? null;
}

export function parseServerMessage(raw: unknown): ReplyMessage | EventMessage | null {
  const reply = ReplyMessageSchema.safeParse(raw).data;
  if (reply) {
    // Codes come from our own server's toErrorData, so they are ErrorCodes by construction.
    return reply.ok
      ? reply
      : { ...reply, error: { code: reply.error.code as ErrorCode, message: reply.error.message } };
  }
  return EventMessageSchema.safeParse(raw).data ?? null;
}
