// The online round's HTTP routes (protocol/online.ts) as typed calls. Every call resolves to an HttpResult; nothing
// throws, so the pages decide what a refusal or a dropped connection means for the contestant.
import type {
  AttemptResultReply,
  AttemptView,
  Me,
  OnlineContestInfo,
  Registered,
  RegisterBody,
  Resumed,
  ResumeBody,
  SavedAnswer,
  Submitted,
} from '../../../protocol/online';
import type { Choice } from '../../../protocol/events';
import { fetchJson, type HttpResult } from '../lib/http';

/** The calls one contest's pages make; a test can hand the attempt state its own. */
export interface OnlineApi {
  info(): Promise<HttpResult<OnlineContestInfo>>;
  register(body: RegisterBody): Promise<HttpResult<Registered>>;
  resume(body: ResumeBody): Promise<HttpResult<Resumed>>;
  me(token: string): Promise<HttpResult<Me>>;
  start(token: string, roundId: string): Promise<HttpResult<AttemptView>>;
  attempt(token: string, attemptId: string): Promise<HttpResult<AttemptView>>;
  save(token: string, attemptId: string, questionId: string, choice: Choice): Promise<HttpResult<SavedAnswer>>;
  submit(token: string, attemptId: string): Promise<HttpResult<Submitted>>;
  result(token: string, attemptId: string): Promise<HttpResult<AttemptResultReply>>;
}

export function onlineApi(contestId: string): OnlineApi {
  const base = `/api/online/${encodeURIComponent(contestId)}`;
  const post = (body: unknown) => ({ method: 'POST', body: JSON.stringify(body) });
  const attempt = (id: string) => `${base}/attempts/${encodeURIComponent(id)}`;
  return {
    info: () => fetchJson(base),
    register: (body) => fetchJson(`${base}/register`, post(body)),
    resume: (body) => fetchJson(`${base}/resume`, post(body)),
    me: (token) => fetchJson(`${base}/me`, { token }),
    start: (token, roundId) =>
      fetchJson(`${base}/rounds/${encodeURIComponent(roundId)}/attempts`, { method: 'POST', token }),
    attempt: (token, id) => fetchJson(attempt(id), { token }),
    save: (token, id, questionId, choice) =>
      fetchJson(`${attempt(id)}/answers`, { method: 'PUT', token, body: JSON.stringify({ questionId, choice }) }),
    submit: (token, id) => fetchJson(`${attempt(id)}/submit`, { method: 'POST', token }),
    result: (token, id) => fetchJson(`${attempt(id)}/result`, { token }),
  };
}
