// The worker thread's body: parses one workbook per message and answers with its ContestImport, until terminated.
import { parentPort } from 'node:worker_threads';
import { importContestWorkbook, type WorkbookSizeLimits } from './workbook';

export interface ImportJob {
  job: number;
  bytes: Uint8Array;
  id?: string;
  limits: WorkbookSizeLimits;
}

parentPort!.on('message', async ({ job, bytes, id, limits }: ImportJob) => {
  parentPort!.postMessage({ job, result: await importContestWorkbook(bytes, { id, limits }) });
});
