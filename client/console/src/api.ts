/**
 * The one way the console talks to the API: JSON in and out, the session cookie, the CSRF token on writes,
 * and every failure as an ApiError whose message is the API's own one-line reason.
 */

let csrfToken: string | undefined;

/** The CSRF token of GET /auth/me (or of sign-in): sent as x-csrf-token with every write. */
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: Record<string, unknown>,
  ) {
    super(message);
  }

  /** The API's reasons by field ("field: reason; other: reason"), for the form to show beside each field. */
  fieldReasons(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const part of this.message.split('; ')) {
      const m = /^([A-Za-z][\w.]*): (.+)$/.exec(part);
      if (m) out[m[1]] = m[2];
    }
    return out;
  }
}

/** Raised (as a DOM event) when the API says the session is gone: the app returns to sign-in. */
export const SIGNED_OUT_EVENT = 'ot:signed-out';

export interface CallOptions {
  /** The case version the user saw: a change by someone else since then answers 409 with the case as it is now. */
  ifMatch?: string;
  idempotencyKey?: string;
  /** A body sent as it is (a transfer file) with this content type instead of JSON. */
  contentType?: string;
}

export interface Answer<T> {
  data: T;
  etag?: string;
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The requests whose 401 is an answer (nobody is signed in, a wrong password), not a session that ended. */
const ASKS_WHO = new Set(['/auth/me', '/auth/sign-in', '/auth/methods']);

export async function call<T>(method: string, path: string, body?: unknown, opts: CallOptions = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = opts.contentType ?? 'application/json';
  if (WRITES.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;
  if (opts.ifMatch) headers['if-match'] = opts.ifMatch;
  if (opts.idempotencyKey) headers['idempotency-key'] = opts.idempotencyKey;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : opts.contentType ? (body as BodyInit) : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'no answer from the server: check the connection and try again', {});
  }
  const text = await res.text();
  let parsed: unknown = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  if (!res.ok) {
    const obj = parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
    const reason = typeof obj.error === 'string' ? obj.error : `${res.status} ${res.statusText}`;
    if (res.status === 401 && !ASKS_WHO.has(path)) window.dispatchEvent(new Event(SIGNED_OUT_EVENT));
    throw new ApiError(res.status, reason, obj);
  }
  return { data: parsed as T, etag: res.headers.get('etag') ?? undefined };
}

export const get = async <T>(path: string): Promise<T> => (await call<T>('GET', path)).data;
export const post = async <T>(path: string, body?: unknown, opts?: CallOptions): Promise<T> => (await call<T>('POST', path, body ?? {}, opts)).data;
export const put = async <T>(path: string, body?: unknown, opts?: CallOptions): Promise<T> => (await call<T>('PUT', path, body ?? {}, opts)).data;

/** A query string of the set values only. */
export function query(params: Record<string, string | number | boolean | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
