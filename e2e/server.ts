import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../server/test/start-server';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..');
export const fixtureContests = path.join(here, 'fixtures', 'contests');
export const ORGANISER_PASSWORD = 'e2e-organiser-password';

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** The real server (embedded mode) on a random port with the e2e contests. */
export async function startTestServer(): Promise<RunningServer> {
  const s = await startServer({
    port: 0,
    host: '127.0.0.1',
    organiserPassword: ORGANISER_PASSWORD,
    contestsDir: fixtureContests,
  });
  return { url: s.url.replace(/\/$/, ''), close: () => s.close() };
}
