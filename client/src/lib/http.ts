import type { Result } from './socket';

/** JSON over fetch, with errors mapped to codes the catalogs translate. */
export async function fetchJson<T>(url: string, init: RequestInit & { token?: string } = {}): Promise<Result<T>> {
  const headers = new Headers(init.headers);
  if (init.body) headers.set('content-type', 'application/json');
  if (init.token) headers.set('authorization', `Bearer ${init.token}`);
  let res: Response;
  try {
    res = await fetch(url, { ...init, headers });
  } catch (err) {
    return { ok: false, error: { code: 'NETWORK', message: String(err) } };
  }
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // Not JSON (an HTML error page, an empty body): handled below by status.
  }
  if (res.ok) {
    // Accept both a bare body and an Ack-shaped envelope.
    if (body && typeof body === 'object' && 'ok' in body && (body as { ok: unknown }).ok === true && 'data' in body)
      return { ok: true, data: (body as { data: T }).data };
    return { ok: true, data: body as T };
  }
  const error = (body as { error?: { code?: string; message?: string } } | null)?.error;
  const code = error?.code ?? (res.status === 401 || res.status === 403 ? 'NOT_AUTHORISED' : res.status === 404 ? 'GAME_NOT_FOUND' : 'HTTP');
  return { ok: false, error: { code: code as never, message: error?.message ?? res.statusText } };
}
