// Entry of the workbook import worker (off-thread.ts). A worker thread does not inherit the parent's TypeScript
// loader, so it registers tsx itself before loading the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./import-worker.ts');
