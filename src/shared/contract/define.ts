// Helpers to declare methods (zod-validated params, typed result) and events (typed payload).
import type { z } from 'zod';

export interface MethodSpec<P extends z.ZodType, R> {
  readonly params: P;
  /** Phantom field: carries the result type, never set at run time. */
  readonly __result?: R;
}

/** `method(schema).returns<Result>()` — params are inferred from the schema, the result is named. */
export function method<P extends z.ZodType>(params: P) {
  return {
    returns<R>(): MethodSpec<P, R> {
      return { params };
    },
  };
}

export interface EventSpec<T> {
  readonly __payload?: T;
}

export function event<T>(): EventSpec<T> {
  return {};
}
