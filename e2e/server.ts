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

/**
 * The real server (embedded mode) on a random port with the e2e contests. `questionReadyMs`: each question's
 * "get ready" (the product's default is 3000; 0 unless a test asks, so other tests need not wait for it).
 */
export async function startTestServer(options: { questionReadyMs?: number } = {}): Promise<RunningServer> {
  const s = await startServer({
    ...options,
    port: 0,
    host: '127.0.0.1',
    organiserPassword: ORGANISER_PASSWORD,
    contestsDir: fixtureContests,
  });
  return { url: s.url.replace(/\/$/, ''), close: () => s.close() };
}
