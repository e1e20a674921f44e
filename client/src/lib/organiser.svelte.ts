import type { LoginResult } from '../../../protocol';
import { fetchBlob, fetchJson, saveBlob, type HttpInit, type HttpResult } from './http';

/**
 * The organiser's session in this tab, and every organiser request (host console, dashboard, prize desk,
 * contest files): each request carries the session, and a refused session ends it here, so every screen falls
 * back to the login form the same way.
 */
const SESSION_KEY = 'cds:organiser';

class OrganiserSession {
  // Session storage: a shared hall laptop forgets the organiser when the tab closes.
  token = $state<string | null>(sessionStorage.getItem(SESSION_KEY));

  /** Logs in; the session is kept only if the server accepts the password. */
  async login(username: string, password: string): Promise<HttpResult<LoginResult>> {
    const res = await fetchJson<LoginResult>('/api/login', {
      method: 'POST',
      body: JSON.stringify({ username, password }),
    });
    if (res.ok) {
      sessionStorage.setItem(SESSION_KEY, res.data.token);
      this.token = res.data.token;
    }
    return res;
  }

  /** Forgets the session in this tab (the server refused it, or the organiser signed out). */
  logout(): void {
    sessionStorage.removeItem(SESSION_KEY);
    this.token = null;
  }

  /** Ends the session on the server too, so a token copied from this laptop stops working. */
  async signOut(): Promise<void> {
    if (this.token) await fetchJson('/api/session/logout', { method: 'POST', body: '{}', token: this.token });
    this.logout();
  }

  get<T>(path: string): Promise<HttpResult<T>> {
    return this.json<T>(path, {});
  }

  post<T>(path: string, body: unknown = {}): Promise<HttpResult<T>> {
    return this.json<T>(path, { method: 'POST', body: JSON.stringify(body) });
  }

  delete<T>(path: string): Promise<HttpResult<T>> {
    return this.json<T>(path, { method: 'DELETE' });
  }

  /** Sends a file as the raw request body (a contest spreadsheet). */
  upload<T>(path: string, file: Blob): Promise<HttpResult<T>> {
    return this.json<T>(path, { method: 'POST', body: file });
  }

  /** Downloads go through fetch, not a link: the session is a bearer token, not a cookie. */
  async download(path: string, filename: string): Promise<HttpResult<void>> {
    const res = this.checked(await fetchBlob(path, this.withSession({})));
    if (!res.ok) return res;
    saveBlob(res.data, filename);
    return { ok: true, data: undefined };
  }

  private async json<T>(path: string, init: HttpInit): Promise<HttpResult<T>> {
    return this.checked(await fetchJson<T>(path, this.withSession(init)));
  }

  private withSession(init: HttpInit): HttpInit {
    return this.token ? { ...init, token: this.token } : init;
  }

  private checked<T>(res: HttpResult<T>): HttpResult<T> {
    if (!res.ok && res.error.code === 'NOT_AUTHORISED') this.logout();
    return res;
  }
}

/** The one organiser session of this tab. */
export const organiser = new OrganiserSession();
