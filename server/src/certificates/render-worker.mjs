// Entry of the certificate worker thread. A worker does not inherit the TypeScript loader in every host (vitest runs
// the server without tsx), so it registers tsx itself, then loads the TypeScript handler.
import { register } from 'tsx/esm/api';

register();
await import('./render-thread.ts');
