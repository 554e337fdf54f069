/**
 * A hand-written `fetch` stub for the WeChat boundary's unit tests: it records each request and answers
 * from a queue of replies. Not a test file itself (no `.test.ts`).
 */
import type { WeChatDeps } from '../../src/wechat/index.js';

/** A request as the stub saw it. */
export interface RecordedRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  /** The raw body, undefined for GET. */
  body: string | undefined;
  signal: AbortSignal | undefined;
}

/** A canned answer, or a function building one from the request. */
export type Reply = Response | ((request: RecordedRequest) => Response | Promise<Response>);

/** A stub whose replies are used in order; the last one repeats. */
export function stubFetch(...replies: Reply[]): {
  fetch: typeof globalThis.fetch;
  requests: RecordedRequest[];
} {
  const requests: RecordedRequest[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request: RecordedRequest = {
      url: input instanceof Request ? input.url : String(input),
      method: init?.method ?? 'GET',
      headers: Object.fromEntries(new Headers(init?.headers).entries()),
      body: typeof init?.body === 'string' ? init.body : undefined,
      signal: init?.signal ?? undefined,
    };
    requests.push(request);
    const reply = replies[Math.min(requests.length - 1, replies.length - 1)];
    if (reply === undefined) throw new Error('stubFetch: no reply configured');
    return typeof reply === 'function' ? reply(request) : reply.clone();
  };
  return { fetch, requests };
}

/** A 200 JSON answer with WeChat's observed content type. */
export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; encoding=utf-8' },
  });
}

/** A raw answer: any body, status and content type. */
export function raw(body: string, status = 200, contentType = 'text/plain'): Response {
  return new Response(body, { status, headers: { 'content-type': contentType } });
}

/** Deps on the real hosts around the given fetch. */
export function depsWith(fetch: typeof globalThis.fetch, extra: Partial<WeChatDeps> = {}): WeChatDeps {
  return {
    fetch,
    endpoints: { api: 'https://api.weixin.qq.com', work: 'https://qyapi.weixin.qq.com' },
    ...extra,
  };
}

/** A fetch that never answers and rejects with the signal's reason once aborted, like undici. */
export const hangingFetch: typeof globalThis.fetch = (_input, init) =>
  new Promise((_resolve, reject) => {
    const signal = init?.signal;
    if (!signal) return;
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });

/** Runs `fn`, expecting it to reject, and returns the rejection. */
export async function failureOf(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}
