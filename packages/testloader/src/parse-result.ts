/** The outcome of parsing untrusted input: a value, or a message a human can act on. */
export type ParseResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

export function parsed<T>(value: T): ParseResult<T> {
  return { ok: true, value };
}

export function parseFailure<T>(error: string): ParseResult<T> {
  return { ok: false, error };
}
