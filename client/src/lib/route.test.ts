import { describe, expect, it } from 'vitest';
import { parseRoute } from './route';

describe(parseRoute.name, () => {
  it.each([
    { path: '/', search: '', route: { page: 'play', pin: null } },
    { path: '/play', search: '?pin=123456', route: { page: 'play', pin: '123456' } },
    { path: '/play', search: '?pin=12', route: { page: 'play', pin: null } },
    { path: '/xac-minh/ABCD-EFGH-JKLM-NPQR', search: '', route: { page: 'verify', code: 'ABCD-EFGH-JKLM-NPQR' } },
    { path: '/join/654321', search: '', route: { page: 'play', pin: '654321' } },
    { path: '/join/654321/', search: '', route: { page: 'play', pin: '654321' } },
    { path: '/host', search: '?pin=111111', route: { page: 'host', pin: '111111' } },
    { path: '/admin', search: '', route: { page: 'admin' } },
    { path: '/screen/222222', search: '', route: { page: 'screen', pin: '222222' } },
    { path: '/thi/cong-dan-so-2026', search: '', route: { page: 'online', contestId: 'cong-dan-so-2026' } },
    { path: '/thi/cong-dan-so-2026/', search: '', route: { page: 'online', contestId: 'cong-dan-so-2026' } },
    { path: '/thi/Bad_Id', search: '', route: { page: 'play', pin: null } },
    {
      path: '/thi/cong-dan-so-2026/bang-xep-hang',
      search: '',
      route: { page: 'online-board', contestId: 'cong-dan-so-2026' },
    },
    { path: '/screen/abc', search: '', route: { page: 'play', pin: null } },
  ])('$path$search', ({ path, search, route }) => expect(parseRoute(path, search)).toEqual(route));
});
