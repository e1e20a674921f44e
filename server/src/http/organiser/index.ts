/**
 * The organisers' REST tools, one router per resource, every one behind the single organiser-session guard
 * mounted here: a route added to any of them cannot skip it. Mounted under /api after the public routes.
 */
import express from 'express';
import { requireOrganiser } from '../session';
import { auditRouter } from './audit';
import { claimsRouter } from './claims';
import { contestsRouter } from './contests';
import type { OrganiserApiDeps } from './deps';
import { exportsRouter } from './exports';
import { gamesRouter } from './games';
import { personalDataRouter } from './personal-data';
import { onlineReviewRouter } from './online-review';
import { qualifiersRouter } from './qualifiers';
import { resultsRouter } from './results';

export type { OrganiserApiDeps } from './deps';

export function createOrganiserApi(deps: OrganiserApiDeps): express.Router {
  const context = { ...deps, actor: `organiser:${deps.organiserUser}` };
  const api = express.Router();
  api.use(requireOrganiser(deps.store));
  for (const router of [
    gamesRouter,
    contestsRouter,
    resultsRouter,
    exportsRouter,
    claimsRouter,
    qualifiersRouter,
    onlineReviewRouter,
    personalDataRouter,
    auditRouter,
  ])
    api.use(router(context));
  return api;
}
