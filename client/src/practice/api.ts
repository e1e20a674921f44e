// The practice routes (protocol/practice.ts) as typed calls; nothing throws, every call resolves to an HttpResult.
import type { CompetenceArea } from '../../../protocol/contest';
import type { Choice } from '../../../protocol/events';
import type { MyBadges, PracticeAnswered, PracticeInfo, PracticeSessionView } from '../../../protocol/practice';
import { fetchJson, type HttpResult } from '../lib/http';

export interface PracticeApi {
  info(): Promise<HttpResult<PracticeInfo>>;
  start(area: CompetenceArea | null, deviceId: string, token?: string): Promise<HttpResult<PracticeSessionView>>;
  session(id: string): Promise<HttpResult<PracticeSessionView>>;
  answer(id: string, questionId: string, choice: Choice): Promise<HttpResult<PracticeAnswered>>;
  myBadges(query: { token?: string; deviceId?: string }): Promise<HttpResult<MyBadges>>;
}

export function practiceApi(contestId: string): PracticeApi {
  const base = `/api/practice/${encodeURIComponent(contestId)}`;
  const session = (id: string) => `${base}/sessions/${encodeURIComponent(id)}`;
  return {
    info: () => fetchJson(base),
    start: (area, deviceId, token) =>
      fetchJson(`${base}/sessions`, {
        method: 'POST',
        token,
        body: JSON.stringify({ deviceId, ...(area ? { area } : {}) }),
      }),
    session: (id) => fetchJson(session(id)),
    answer: (id, questionId, choice) =>
      fetchJson(`${session(id)}/answers`, { method: 'POST', body: JSON.stringify({ questionId, choice }) }),
    myBadges: ({ token, deviceId }) =>
      fetchJson(`${base}/badges/me${deviceId ? `?device=${encodeURIComponent(deviceId)}` : ''}`, { token }),
  };
}
