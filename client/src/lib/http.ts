import type { ClientErrorCode } from './i18n/vi';

/**
 * HTTP for the client: one request path for JSON and files, every failure turned into an `HttpError` that
 * carries the protocol error code the catalogs translate. Organiser requests go through `organiser.svelte.ts`,
 * which adds the session.
 */

/** A failed request: the protocol code, and the whole reply body for what some refusals add (ties, problems). */
interface HttpError {
  code: ClientErrorCode;
  message: string;
  /** The HTTP status; 0 when the request never got an answer. */
  status: number;
  body: unknown;
}

export type HttpResult<T> = { ok: true; data: T } | { ok: false; error: HttpError };

export type HttpInit = RequestInit & { token?: string };

async function send(url: string, init: HttpInit): Promise<{ res: Response } | { error: HttpError }> {
  const { token, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (typeof rest.body === 'string' && !headers.has('content-type')) headers.set('content-type', 'application/json');
  if (rest.body instanceof Blob && !headers.has('content-type'))
    headers.set('content-type', 'application/octet-stream');
  if (token) headers.set('authorization', `Bearer ${token}`);
  try {
    return { res: await fetch(url, { ...rest, headers }) };
  } catch (err) {
    return { error: { code: 'NETWORK', message: String(err), status: 0, body: null } };
  }
}

async function readJson(res: Response): Promise<unknown> {
  try {
    return await res.json();
  } catch {
    // Not JSON (an HTML error page, an empty body): the status tells what happened.
    return null;
  }
}

function failure(res: Response, body: unknown): HttpError {
  const error = (body as { error?: { code?: string; message?: string } } | null)?.error;
  const code =
    error?.code ??
    (res.status === 401 || res.status === 403 ? 'NOT_AUTHORISED' : res.status === 404 ? 'GAME_NOT_FOUND' : 'HTTP');
  return { code: code as ClientErrorCode, message: error?.message ?? res.statusText, status: res.status, body };
}

/** JSON over fetch; never rejects. */
export async function fetchJson<T>(url: string, init: HttpInit = {}): Promise<HttpResult<T>> {
  const sent = await send(url, init);
  if ('error' in sent) return { ok: false, error: sent.error };
  const { res } = sent;
  const body = await readJson(res);
  if (!res.ok) return { ok: false, error: failure(res, body) };
  // Accept both a bare body and an Ack-shaped envelope.
  if (body && typeof body === 'object' && 'ok' in body && body.ok === true && 'data' in body)
    return { ok: true, data: body.data as T };
  return { ok: true, data: body as T };
}

/** A file over fetch (exports, spreadsheets); never rejects. */
export async function fetchBlob(url: string, init: HttpInit = {}): Promise<HttpResult<Blob>> {
  const sent = await send(url, init);
  if ('error' in sent) return { ok: false, error: sent.error };
  const { res } = sent;
  if (!res.ok) return { ok: false, error: failure(res, await readJson(res)) };
  try {
    return { ok: true, data: await res.blob() };
  } catch (err) {
    return { ok: false, error: { code: 'NETWORK', message: String(err), status: res.status, body: null } };
  }
}

/** Hands a fetched file to the browser as a download. */
export function saveBlob(blob: Blob, filename: string) {
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

/**
 * Fetches a file with a bearer token and saves it: a token never goes into a link, where it would land in
 * history, proxy logs and Referer headers.
 */
export async function downloadWithToken(url: string, filename: string, token: string): Promise<HttpResult<void>> {
  const res = await fetchBlob(url, { token });
  if (!res.ok) return res;
  saveBlob(res.data, filename);
  return { ok: true, data: undefined };
}
