/**
 * The dashboard: one HTML page, one script and one stylesheet from `./dashboard/`, served as they
 * are (no bundler, no CDN), under a Content-Security-Policy that allows nothing from elsewhere.
 */
import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';

const ASSETS = {
  'app.js': 'text/javascript; charset=utf-8',
  'chart.js': 'text/javascript; charset=utf-8',
  'style.css': 'text/css; charset=utf-8',
} as const;

/** Everything the page may load comes from this server; the live feed is a same-origin WebSocket. */
export const DASHBOARD_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

function asset(name: string): Promise<string> {
  return readFile(new URL(`./dashboard/${name}`, import.meta.url), 'utf8');
}

/** Registers `/` (the page) and `/dashboard/<asset>`. */
export async function dashboardRoutes(app: FastifyInstance): Promise<void> {
  const html = await asset('index.html');
  const files = new Map<string, string>();
  for (const name of Object.keys(ASSETS)) files.set(name, await asset(name));

  app.get('/', async (request, reply) => {
    const [path, search = ''] = request.url.split('?');
    // Under a prefix, `/prefix` must become `/prefix/` or the page's relative URLs miss the prefix.
    if (!path.endsWith('/')) return reply.redirect(`${path}/${search ? `?${search}` : ''}`);
    return reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('content-security-policy', DASHBOARD_CSP)
      .header('cache-control', 'no-store')
      .send(html);
  });

  for (const [name, type] of Object.entries(ASSETS)) {
    app.get(`/dashboard/${name}`, async (_request, reply) =>
      reply.header('content-type', type).header('cache-control', 'no-cache').send(files.get(name)),
    );
  }
}
