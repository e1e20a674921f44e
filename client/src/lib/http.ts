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

/**
 * Fetches a file with a bearer token and hands it to the browser as a download: a token never goes into a link,
 * where it would land in history, proxy logs and Referer headers.
 */
export async function downloadWithToken(url: string, filename: string, token: string): Promise<Result<true>> {
  let res: Response;
  try {
    res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  } catch (err) {
    return { ok: false, error: { code: 'NETWORK', message: String(err) } };
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
    return { ok: false, error: { code: (body?.error?.code ?? 'HTTP') as never, message: body?.error?.message ?? res.statusText } };
  }
  const href = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = href;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
  return { ok: true, data: true };
}
