// Response headers that limit what a hostile page, a framing site or an uploaded SVG can do, and the /metrics gate.
import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { timingSafeEqual } from 'node:crypto';

/** A Host header fit to put in a CSP (anything else could smuggle directives in with ";"). */
const HOST = /^(?:[a-z0-9.-]{1,253}|\[[0-9a-f:.]{2,45}\])(?::\d{1,5})?$/i;

/** socket.io's WebSocket to the page's own host (older Safari does not count ws: as 'self'). */
function ownWebSocket(req: IncomingMessage): string {
  const host = req.headers.host ?? '';
  return HOST.test(host) ? `ws://${host} wss://${host}` : '';
}

/**
 * helmet for the client and the API. The built client is files only: no inline script, no inline <style> (Svelte's
 * style: directives set properties through the CSSOM, which CSP does not restrict), QR codes as inline SVG, fonts
 * bundled. Venues run plain http on a LAN, so requests are not upgraded to https and HSTS is left to a TLS proxy.
 */
export function securityHeaders() {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        'img-src': ["'self'", 'data:'],
        'font-src': ["'self'", 'data:'],
        'connect-src': ["'self'", ownWebSocket],
        'object-src': ["'none'"],
        'base-uri': ["'self'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
      },
    },
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: false,
  });
}

/** Contest media (uploaded SVGs included): opened on their own they are a sandboxed document that runs no script. */
export function mediaPolicy(_req: Request, res: Response, next: NextFunction) {
  res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox");
  next();
}

/** GET /metrics only when configured: 404 when off, 401 without the bearer token when one is set. */
export function metricsGate(metrics: { enabled: boolean; token?: string }) {
  const want = metrics.token ? Buffer.from(`Bearer ${metrics.token}`) : undefined;
  return (req: Request, res: Response, next: NextFunction) => {
    if (!metrics.enabled) return res.status(404).type('text/plain').send('Not found');
    if (want) {
      const got = Buffer.from(req.get('authorization') ?? '');
      if (got.length !== want.length || !timingSafeEqual(got, want))
        return res.status(401).set('WWW-Authenticate', 'Bearer').type('text/plain').send('Unauthorised');
    }
    next();
  };
}
