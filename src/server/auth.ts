/**
 * Bearer-token auth of the control routes: compared in constant time, and a missing or wrong
 * token is refused with 401 before the body is read, so nothing is done (DESIGN.md "Inspection and
 * control": the server binds loopback, control needs a token).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** A fresh random token (256 bits, hex). */
export function generateToken(): string {
  return randomBytes(32).toString('hex');
}

/**
 * Whether `given` equals `expected`, in time independent of where they differ. Both sides are
 * hashed first so the buffers compared have equal length whatever was sent.
 */
export function tokenMatches(expected: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}

/** The token of an `Authorization: Bearer <token>` header, if that is what it holds. */
export function bearerOf(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const match = value?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1];
}

/** An `onRequest` hook refusing requests without the right bearer token. */
export function requireBearer(token: string) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (tokenMatches(token, bearerOf(request.headers.authorization))) return;
    await reply
      .code(401)
      .header('www-authenticate', 'Bearer realm="wechat-refresher"')
      .send({ error: 'unauthorized', message: 'control routes need Authorization: Bearer <token>' });
  };
}
