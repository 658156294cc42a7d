// The error codes every method may answer with; the client rejects with an RpcError carrying one.

export const ERROR_CODES = [
  'invalid_message',
  'unknown_method',
  'invalid_params',
  'not_found',
  'conflict',
  'cancelled',
  'unavailable',
  'unauthorized',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface RpcErrorBody {
  code: ErrorCode;
  message: string;
  /** Machine-readable extra facts, e.g. the invalid fields. */
  details?: unknown;
}

export class RpcError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'RpcError';
    this.code = code;
    this.details = details;
  }
  toBody(): RpcErrorBody {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export function isRpcError(e: unknown): e is RpcError {
  return e instanceof RpcError;
}
