// Certificates drawn in one worker thread (render-worker.mjs → render-thread.ts): pdfkit is synchronous and a page
// with its fonts takes tens of milliseconds, so a round of hundreds on the main thread would freeze every game on the
// node. One job at a time, in order; the worker stays warm for a minute after its last job.
import { Worker } from 'node:worker_threads';
import type { CertificatePage } from './render';

const ENTRY = new URL('./render-worker.mjs', import.meta.url);
const IDLE_MS = 60_000;

export interface CertificateRenderer {
  /** One PDF holding these pages. */
  render(pages: CertificatePage[]): Promise<Buffer>;
  close(): Promise<void>;
}

type Reply = { id: number; pdf?: Uint8Array; error?: string };

export class WorkerRenderer implements CertificateRenderer {
  private worker: Worker | undefined;
  private idle: NodeJS.Timeout | undefined;
  private seq = 0;
  private readonly pending = new Map<number, { resolve(b: Buffer): void; reject(e: Error): void }>();

  render(pages: CertificatePage[]): Promise<Buffer> {
    const worker = this.start();
    const id = ++this.seq;
    return new Promise<Buffer>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, pages });
    });
  }

  private start(): Worker {
    clearTimeout(this.idle);
    if (this.worker) return this.worker;
    // Not the parent's loader flags: the entry registers tsx itself.
    const worker = new Worker(ENTRY, { execArgv: [] });
    worker.unref();
    worker.on('message', (m: Reply) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.pdf) p.resolve(Buffer.from(m.pdf.buffer, m.pdf.byteOffset, m.pdf.byteLength));
      else p.reject(new Error(`certificate rendering failed: ${m.error}`));
      if (!this.pending.size) this.idle = setTimeout(() => void this.close(), IDLE_MS).unref();
    });
    const fail = (err: Error) => {
      if (this.worker === worker) this.worker = undefined;
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`certificate worker stopped (code ${code})`)));
    this.worker = worker;
    return worker;
  }

  async close() {
    clearTimeout(this.idle);
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }
}
