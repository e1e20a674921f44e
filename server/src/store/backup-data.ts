// `npm run backup-data -- <file>`: a consistent copy of embedded mode's database (DATA_DIR), taken while the server
// runs (LMDB's hot copy). Restore: stop the server, put the copy as `embedded.lmdb` in an empty DATA_DIR.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { open } from 'lmdb';
import { configFromEnv } from '../config';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const out = process.argv[2];
const { dataDir } = configFromEnv();
const file = path.join(path.resolve(ROOT, dataDir), 'embedded.lmdb');
if (!out || dataDir === ':memory:' || !fs.existsSync(file)) {
  console.error(out ? `no embedded database at ${file}` : 'usage: npm run backup-data -- <file>');
  process.exit(1);
}
const db = open({ path: file, readOnly: true });
await db.backup(path.resolve(out), true);
await db.close();
console.log(`copied ${file} to ${path.resolve(out)}`);
