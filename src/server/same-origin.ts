/**
 * Browser-borne attacks on a loopback server: a page on any site may open a WebSocket to
 * 127.0.0.1 (no same-origin rule for WebSockets), and a DNS-rebinding page reaches every GET route
 * as "same origin" under its own host name. So the live feed accepts only its own origin, and a
 * server bound to loopback answers only requests addressed to a loopback name.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** Whether `host` (a bind address) is a loopback one. */
export function isLoopback(host: string): boolean {
  return LOOPBACK_HOSTS.has(host) || host.startsWith('127.');
}

/** The host name of a Host header, without its port. */
function hostName(header: string | undefined): string {
  if (!header) return '';
  if (header.startsWith('[')) return header.slice(0, header.indexOf(']') + 1);
  return header.split(':')[0];
}

/** An onRequest hook refusing requests whose Host is not a loopback name (DNS rebinding). */
export function loopbackHostsOnly(allowed: readonly string[] = []) {
  const names = new Set([...LOOPBACK_HOSTS, ...allowed]);
  return async (request: FastifyRequest, reply: FastifyReply) => {
    // A browser always sends Host; a request without one is no rebinding attempt.
    if (request.headers.host === undefined) return;
    const name = hostName(request.headers.host);
    if (!names.has(name) && !name.startsWith('127.')) {
      await reply
        .code(421)
        .send({ error: 'misdirected', message: 'this server answers loopback host names only' });
    }
  };
}

/**
 * Whether a WebSocket upgrade comes from this server's own page: no Origin (not a browser) or an
 * Origin whose host equals the request's Host.
 */
export function sameOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}
