// Certificates over HTTP (docs/protocol.md "Certificates"): the public verification (JSON, and the page at
// /xac-minh/<code>), a contestant's own PDF (online: their token; live winner: their claim code), and a whole round
// for organisers (ZIP or one PDF) behind the organiser session.
import express, { type Request, type Response } from 'express';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Zip, ZipPassThrough } from 'fflate';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import {
  CertificateBundleFormat,
  CertificateCode,
  CertificateContestId,
  CertificateRoundId,
} from '../../../protocol/certificates';
import { ContestantToken } from '../../../protocol/online';
import { z } from 'zod';
import type { Certificates, CertificateFile } from '../certificates/certificates';
import { GameError } from '../errors';
import type { OnlineRounds } from '../online/online-rounds';
import type { AuditLog } from '../organiser/audit';
import { PinLookupLimiter, type PinLookupLimits } from '../pin-lookups';
import type { Store } from '../store/store';
import { errorHandler } from './error-handler';
import { bearerToken, requireOrganiser } from './session';

export interface CertificateRouteDeps {
  certificates: Certificates;
  online: OnlineRounds;
  store: Store;
  audit: AuditLog;
  actor: string;
  clientDir: string;
  /** The same budgets as PIN lookups: a code typed wrong is a miss, and misses are few. */
  lookupLimits: PinLookupLimits;
  log: { error(obj: object, msg: string): void };
}

/** `POST /api/certificates/claim` body: the claim code the winner's phone shows. */
const ClaimCodeBody = z.object({ code: z.string().trim().min(4).max(20) });

const param = <T>(schema: z.ZodType<T>, value: unknown, what: string): T => {
  const r = schema.safeParse(value);
  if (!r.success) throw new GameError('BAD_REQUEST', `malformed ${what}`);
  return r.data;
};

const sendPdf = (res: Response, file: CertificateFile) =>
  res.type('application/pdf').attachment(file.filename).setHeader('Cache-Control', 'no-store').send(file.pdf);

export function createCertificateRouter(deps: CertificateRouteDeps): express.Router {
  const { certificates } = deps;
  const router = express.Router();
  // Unknown codes count as misses (GAME_NOT_FOUND is what the limiter counts): walking codes stops within a minute.
  const lookups = new PinLookupLimiter(deps.lookupLimits);
  const guarded = <T>(req: Request, run: () => Promise<T>) =>
    lookups.guard(req.ip ?? 'unknown', async () => {
      try {
        return await run();
      } catch (err) {
        if (err instanceof GameError && err.code === 'NOT_FOUND') throw new GameError('GAME_NOT_FOUND', err.message);
        throw err;
      }
    });
  // A certificate costs the worker a tenth of a second: a phone asking again and again must not queue up the rest.
  const downloads = new RateLimiterMemory({ points: 20, duration: 60 });
  const downloadBudget = async (req: Request) => {
    try {
      await downloads.consume(req.ip ?? 'unknown');
    } catch {
      throw new GameError('RATE_LIMITED', 'too many certificate downloads; wait a minute');
    }
  };
  /** Public answers say NOT_FOUND, whatever the limiter counted it as. */
  const asNotFound = (err: unknown) => {
    if (err instanceof GameError && err.code === 'GAME_NOT_FOUND') throw new GameError('NOT_FOUND', err.message);
    throw err;
  };

  router.get('/api/certificates/verify/:code', async (req, res) => {
    const code = CertificateCode.safeParse(req.params.code);
    // A malformed code is a miss too: it cannot be anyone's.
    const data = await guarded(req, async () => {
      if (!code.success) throw new GameError('NOT_FOUND', 'no certificate has this code');
      return certificates.verify(code.data);
    }).catch(asNotFound);
    res.setHeader('Cache-Control', 'no-store');
    res.json({ ok: true, data });
  });

  router.get('/api/certificates/online/:contestId/:roundId', async (req, res) => {
    const contestId = param(CertificateContestId, req.params.contestId, 'contest id');
    const roundId = param(CertificateRoundId, req.params.roundId, 'round id');
    await downloadBudget(req);
    const token = bearerToken(req);
    const who = await deps.online.authenticate(
      contestId,
      token && ContestantToken.safeParse(token).success ? token : undefined,
    );
    sendPdf(res, await certificates.forContestant(contestId, roundId, who.id));
  });

  // POST: the claim code stays out of URLs (proxy logs, history).
  router.post('/api/certificates/claim', express.json({ limit: '1kb' }), async (req, res) => {
    await downloadBudget(req);
    const { code } = param(ClaimCodeBody, req.body, 'claim code');
    const normalised = code.toUpperCase().replace(/[\s-]/g, '');
    sendPdf(res, await guarded(req, () => certificates.forClaim(normalised)).catch(asNotFound));
  });

  router.get('/api/certificates/round/:contestId/:roundId.:format', requireOrganiser(deps.store), async (req, res) => {
    const contestId = param(CertificateContestId, req.params.contestId, 'contest id');
    const roundId = param(CertificateRoundId, req.params.roundId, 'round id');
    const format = param(CertificateBundleFormat, req.params.format, 'format (zip or pdf)');
    const name = `giay-chung-nhan-${contestId}-${roundId}`;
    if (format === 'pdf') {
      const { count, pdf } = await certificates.roundPdf(contestId, roundId);
      await deps.audit.record({
        actor: deps.actor,
        action: 'export',
        ip: req.ip,
        detail: { file: `${name}.pdf`, certificates: count },
      });
      return res.type('application/pdf').attachment(`${name}.pdf`).send(pdf);
    }
    const { files } = await certificates.roundFiles(contestId, roundId);
    // Streamed: the first certificates reach the organiser while the rest are still being drawn.
    res.type('application/zip').attachment(`${name}.zip`);
    let failed: unknown;
    const zip = new Zip((err, chunk, final) => {
      if (err) failed = err;
      else res.write(chunk);
      if (final) res.end();
    });
    let count = 0;
    try {
      for await (const file of files) {
        // PDFs are compressed already: stored as they are.
        const entry = new ZipPassThrough(file.filename);
        zip.add(entry);
        entry.push(file.pdf, true);
        count++;
      }
      if (failed) throw failed;
      zip.end();
    } catch (err) {
      deps.log.error({ err }, 'certificate ZIP failed');
      // Headers are sent: cut the response so the download shows as failed, not as a short ZIP.
      res.destroy();
      return;
    }
    await deps.audit.record({
      actor: deps.actor,
      action: 'export',
      ip: req.ip,
      detail: { file: `${name}.zip`, certificates: count },
    });
  });

  // The verification page is the client's (client/src/verify), served like its other pages.
  router.get(/^\/xac-minh\/[A-Za-z0-9-]{1,40}\/?$/, (_req, res) => {
    const index = path.join(deps.clientDir, 'index.html');
    if (!existsSync(index))
      return res.status(503).type('text/plain').send('Client not built: run `npm run build:client`.');
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });

  router.use('/api/certificates', () => {
    throw new GameError('BAD_REQUEST', 'no such certificate route');
  });
  router.use(errorHandler(deps.log));
  return router;
}
