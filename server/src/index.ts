import { createApp } from './app';
import { configFromEnv } from './config';

// Reads configuration, builds, listens, and shuts down cleanly: the rest lives in createApp.
let config;
try {
  config = configFromEnv();
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
const app = await createApp({ config });
const url = await app.listen();
const mode = config.redisUrl
  ? `Redis mode (${config.redisUrl.replace(/\/\/[^@]*@/, '//***@')})`
  : `embedded mode (one process, ${app.embeddedDb ? `data kept in ${app.embeddedDb.dir}` : 'DATA_DIR=:memory:, nothing kept'})`;
console.log(`\nCông dân số Live — ${mode}`);
console.log(`  Host console:  ${url}/host`);
const phones = app.games.joinUrl('').replace(/\/join\/$/, '');
console.log(`  Phones join:   ${phones}/  (same Wi-Fi)`);
if (/\/\/(localhost|127\.)/.test(phones))
  console.log(
    "  No network found yet: connect to the hall's Wi-Fi (join links follow the new address), or set PUBLIC_URL.",
  );
if (app.oneTimePassword)
  console.log(
    `  Organiser login: ${config.organiserUser} / ${app.oneTimePassword}  (one-time: set ORGANISER_PASSWORD to choose one)`,
  );
console.log('');

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1);
    stopping = true;
    console.log(`${signal}: shutting down`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
