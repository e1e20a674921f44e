// Entry of the results worker thread (organiser/results-thread.ts). A worker does not inherit the TypeScript loader in
// every host (vitest runs the server without tsx), so it registers tsx itself, then loads the TypeScript code.
import { register } from 'tsx/esm/api';

register();
await import('./results-worker.ts');
