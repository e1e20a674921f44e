/** Organiser routes for winners' claims: the desk enters a code, then records the winner's personal data once. */
import express, { type Request } from 'express';
import { ClaimBody, ClaimCode } from '../../../../protocol/organiser';
import { GameError } from '../../errors';
import type { OrganiserContext } from './deps';

const codeOf = (req: Request) => {
  const c = ClaimCode.safeParse(req.params.code);
  if (!c.success) throw new GameError('BAD_REQUEST', 'a claim code has 8 letters and digits');
  return c.data;
};

export function claimsRouter({ claims, actor }: OrganiserContext) {
  const router = express.Router();

  router.get('/claims', async (req, res) => {
    res.json(await claims.list(typeof req.query.scope === 'string' ? req.query.scope : undefined));
  });
  router.get('/claims/:code', async (req, res) => {
    res.json(await claims.lookup(codeOf(req), actor, req.ip ?? null));
  });
  router.post('/claims/:code', express.json({ limit: '4kb' }), async (req, res) => {
    const body = ClaimBody.safeParse(req.body);
    if (!body.success)
      throw new GameError('BAD_REQUEST', `${body.error.issues[0]?.path.join('.')}: ${body.error.issues[0]?.message}`);
    res.json(await claims.complete(codeOf(req), body.data, actor, req.ip ?? null));
  });

  return router;
}
