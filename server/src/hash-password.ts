// `npm run hash-password` — prints ORGANISER_PASSWORD_HASH for a password read from stdin.
import { createInterface } from 'node:readline/promises';
import { hashPassword } from './auth';

const rl = createInterface({ input: process.stdin, output: process.stderr });
const password = (await rl.question('Password (at least 8 characters): ')).trim();
rl.close();
if (password.length < 8) {
  console.error('too short');
  process.exit(1);
}
console.log(await hashPassword(password));
