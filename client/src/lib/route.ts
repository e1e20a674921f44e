/** The app's pages; the server falls back to index.html for each of these paths. */
export type Route =
  | { page: 'play'; pin: string | null }
  | { page: 'host'; pin: string | null }
  | { page: 'admin' }
  | { page: 'screen'; pin: string }
  | { page: 'online'; contestId: string }
  | { page: 'verify'; code: string }
  | { page: 'practice'; contestId: string }
  | { page: 'online-board'; contestId: string };

export function parseRoute(pathname: string, search = ''): Route {
  const path = pathname.replace(/\/+$/, '') || '/';
  const params = new URLSearchParams(search);
  const pinParam = params.get('pin');
  const validPin = (p: string | null | undefined) => (p && /^\d{6}$/.test(p) ? p : null);
  let m: RegExpMatchArray | null;
  if ((m = path.match(/^\/join\/(\d{6})$/))) return { page: 'play', pin: m[1]! };
  if ((m = path.match(/^\/screen\/(\d{6})$/))) return { page: 'screen', pin: m[1]! };
  if ((m = path.match(/^\/thi\/([a-z0-9][a-z0-9-]{0,63})$/))) return { page: 'online', contestId: m[1]! };
  if ((m = path.match(/^\/xac-minh\/([A-Za-z0-9-]{1,40})$/))) return { page: 'verify', code: m[1]! };
  if ((m = path.match(/^\/luyen-tap\/([a-z0-9][a-z0-9-]{0,63})$/))) return { page: 'practice', contestId: m[1]! };
  if ((m = path.match(/^\/thi\/([a-z0-9][a-z0-9-]{0,63})\/bang-xep-hang$/)))
    return { page: 'online-board', contestId: m[1]! };
  if (path === '/host') return { page: 'host', pin: validPin(pinParam) };
  if (path === '/admin') return { page: 'admin' };
  return { page: 'play', pin: validPin(pinParam) };
}
