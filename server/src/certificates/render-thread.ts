// Inside the worker thread (started through render-worker.mjs): draws certificates (render.ts), so a round of
// hundreds never holds the event loop.
import { parentPort } from 'node:worker_threads';
import { renderCertificates, type CertificatePage } from './render';

parentPort!.on('message', (msg: { id: number; pages: CertificatePage[] }) => {
  renderCertificates(msg.pages).then(
    (pdf) => {
      // A buffer of its own, moved rather than copied to the main thread (which only passes it on).
      const own = new Uint8Array(pdf);
      parentPort!.postMessage({ id: msg.id, pdf: own }, [own.buffer]);
    },
    (err: unknown) => parentPort!.postMessage({ id: msg.id, error: err instanceof Error ? err.message : String(err) }),
  );
});
