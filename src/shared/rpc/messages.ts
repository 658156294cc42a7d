// The plain messages that cross any transport, and their validation at the receiving end.
import { z } from 'zod';
import { ERROR_CODES } from '../contract/errors';

const id = z.number().int().nonnegative();
const name = z.string().min(1).max(128);

export const requestMessage = z.object({ t: z.literal('req'), id, method: name, params: z.unknown() }).strict();
export const cancelMessage = z.object({ t: z.literal('cancel'), id }).strict();
export const resultMessage = z.object({ t: z.literal('res'), id, result: z.unknown() }).strict();
export const errorMessage = z
  .object({
    t: z.literal('err'),
    /** null when the failing message had no usable id. */
    id: id.nullable(),
    error: z.object({ code: z.enum(ERROR_CODES), message: z.string(), details: z.unknown().optional() }).strict(),
  })
  .strict();
export const eventMessage = z.object({ t: z.literal('evt'), event: name, payload: z.unknown() }).strict();

/** What a client may send. */
export const clientMessage = z.discriminatedUnion('t', [requestMessage, cancelMessage]);
/** What a server may send. */
export const serverMessage = z.discriminatedUnion('t', [resultMessage, errorMessage, eventMessage]);
/** Anything that may cross the one channel, in either direction (the preload's check). */
export const anyMessage = z.discriminatedUnion('t', [
  requestMessage,
  cancelMessage,
  resultMessage,
  errorMessage,
  eventMessage,
]);

export type RequestMessage = z.infer<typeof requestMessage>;
export type CancelMessage = z.infer<typeof cancelMessage>;
export type ResultMessage = z.infer<typeof resultMessage>;
export type ErrorMessage = z.infer<typeof errorMessage>;
export type EventMessage = z.infer<typeof eventMessage>;
export type ClientMessage = z.infer<typeof clientMessage>;
export type ServerMessage = z.infer<typeof serverMessage>;
export type AnyMessage = z.infer<typeof anyMessage>;

/** Upper bound for one encoded message; larger ones are refused before parsing. */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
