import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..');
export const fixtureContests = path.join(here, 'fixtures', 'contests');
export const ORGANISER_PASSWORD = 'e2e-organiser-password';

export interface RunningServer {
  url: string;
  kind: 'real' | 'stub';
  close(): Promise<void>;
}

type StartServer = (options?: {
  port?: number;
  host?: string;
  organiserPassword?: string;
  contestsDir?: string;
  publicUrl?: string;
}) => Promise<{ url: string; close(): Promise<void> }>;

/**
 * The real server (server/src/app.ts `startServer`) on a random port with the e2e contests.
 * Until that export exists, the protocol stub in stub-server.ts stands in, and the run says so.
 */
export async function startTestServer(): Promise<RunningServer> {
  const appPath = path.join(repoRoot, 'server', 'src', 'app.ts');
  if (existsSync(appPath) && process.env.E2E_SERVER !== 'stub') {
    const mod = (await import(/* @vite-ignore */ appPath)) as { startServer?: StartServer };
    if (mod.startServer) {
      const s = await mod.startServer({ port: 0, host: '127.0.0.1', organiserPassword: ORGANISER_PASSWORD, contestsDir: fixtureContests });
      return { url: s.url.replace(/\/$/, ''), kind: 'real', close: () => s.close() };
    }
  }
  const { startStubServer } = await import('./stub-server');
  console.warn('[e2e] server/src/app.ts has no startServer yet: running against the protocol stub');
  const s = await startStubServer({
    contestsDir: fixtureContests,
    organiserPassword: ORGANISER_PASSWORD,
    clientDir: path.join(repoRoot, 'client', 'dist'),
  });
  return { ...s, kind: 'stub' };
}
