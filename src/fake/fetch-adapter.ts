/**
 * The in-process `fetch`: no sockets. It answers URLs on the real WeChat hosts (and their backup
 * hosts) and the base URLs `listen()` returned, and fails like undici for anything else.
 */
import type { FakeHandler } from './handler.js';
import type { FakeRequest } from './request.js';
import { queryRecord } from './request.js';

/** Which family a URL belongs to, and the path inside it; undefined when the fake does not serve it. */
export type UrlRouter = (url: URL) => { host: 'api' | 'work'; path: string } | undefined;

const API_HOSTS: ReadonlySet<string> = new Set([
  'api.weixin.qq.com',
  'api2.weixin.qq.com',
  'sh.api.weixin.qq.com',
  'sz.api.weixin.qq.com',
  'hk.api.weixin.qq.com',
]);
const WORK_HOSTS: ReadonlySet<string> = new Set(['qyapi.weixin.qq.com']);

/**
 * Routes the real hosts by hostname, and the loopback origins by origin (`listened` maps an origin
 * to its family). On any served origin a `/api/...` or `/work/...` prefix picks the family too.
 */
export function createUrlRouter(listened: ReadonlyMap<string, 'api' | 'work'>): UrlRouter {
  return (url) => {
    let host: 'api' | 'work' | undefined;
    if (API_HOSTS.has(url.hostname)) host = 'api';
    else if (WORK_HOSTS.has(url.hostname)) host = 'work';
    else host = listened.get(url.origin);
    if (host === undefined) return undefined;
    return splitPrefix(url.pathname, host);
  };
}

/** `/work/cgi-bin/gettoken` → work, `/cgi-bin/gettoken`; a path without prefix keeps `fallback`. */
export function splitPrefix(
  pathname: string,
  fallback: 'api' | 'work',
): { host: 'api' | 'work'; path: string } {
  for (const family of ['api', 'work'] as const) {
    if (pathname.startsWith(`/${family}/`)) return { host: family, path: pathname.slice(family.length + 1) };
  }
  return { host: fallback, path: pathname };
}

/** A network-level failure shaped like undici's: TypeError('fetch failed') with a coded cause. */
export function fetchFailed(code: string, message: string): TypeError {
  const cause = Object.assign(new Error(message), { code });
  return new TypeError('fetch failed', { cause });
}

/**
 * Builds the in-process fetch over the shared handler.
 * @param clientIp the caller IP requests carry (whitelists, WeCom errmsg).
 */
export function createFakeFetch(
  handle: FakeHandler,
  route: UrlRouter,
  clientIp: string,
): typeof globalThis.fetch {
  const fakeFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined);
    if (signal?.aborted) throw signal.reason;
    const request = new Request(input, init);
    const url = new URL(request.url);
    const target = route(url);
    if (target === undefined) throw fetchFailed('ENOTFOUND', `getaddrinfo ENOTFOUND ${url.hostname}`);
    const req: FakeRequest = {
      method: request.method,
      host: target.host,
      path: target.path,
      query: queryRecord(url.searchParams),
      headers: Object.fromEntries(request.headers),
      body: await request.text(),
      remoteIp: clientIp,
    };
    const result = await handle(req, signal);
    if (result.type === 'reset') throw fetchFailed('ECONNRESET', 'read ECONNRESET');
    const { status, headers, body } = result.response;
    const response = new Response(body, {
      status,
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
    });
    Object.defineProperty(response, 'url', { value: request.url });
    return response;
  };
  return fakeFetch as typeof globalThis.fetch;
}
