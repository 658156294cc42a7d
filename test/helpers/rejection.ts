// For contract tests (inside vitest only: it asserts): the RpcError a call ends in.
import { expect } from 'vitest';
import { RpcError } from '../../src/shared/contract/errors';

/** The RpcError a call ends in (fails the test if it succeeds or throws anything else). */
export async function rejection(p: Promise<unknown>): Promise<RpcError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(RpcError);
  return e as RpcError;
}
