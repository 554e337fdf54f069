/**
 * The request both adapters hand to the one handler, and the helpers routes use to read it.
 */

/** A request as the handler sees it, the same whichever adapter received it. */
export interface FakeRequest {
  method: string;
  /** `api` for api.weixin.qq.com, `work` for qyapi.weixin.qq.com. */
  host: 'api' | 'work';
  /** Path without host or adapter prefix: `/cgi-bin/token`. */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** The raw body as text ('' when none). */
  body: string;
  /** The caller's IP (IPv4-mapped IPv6 addresses are given as IPv4). */
  remoteIp: string;
}

/** A query string as a record (the last value wins, as most servers read it). */
export function queryRecord(params: URLSearchParams): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [key, value] of params) query[key] = value;
  return query;
}

/** The body parsed as a JSON object, or undefined when it is not one (form data, empty, garbage). */
export function jsonObject(body: string): Record<string, unknown> | undefined {
  if (body.trim() === '') return undefined;
  try {
    const value: unknown = JSON.parse(body);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The body for the call log: parsed JSON when it parses, the text otherwise, undefined when empty. */
export function loggedBody(body: string): unknown {
  if (body === '') return undefined;
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

/** A string field of a JSON body ('' when absent or not a string). */
export function field(json: Record<string, unknown> | undefined, name: string): string {
  const value = json?.[name];
  return typeof value === 'string' ? value : '';
}

/** `::ffff:1.2.3.4` → `1.2.3.4`. */
export function normalizeIp(ip: string | undefined): string {
  if (ip === undefined) return '';
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}
