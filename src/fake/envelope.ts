/**
 * Response bodies, byte for byte: success shapes, error envelopes with their per-request suffix,
 * proxy-style HTML errors and the malformed variants (spec/wechat-api.md §0, §7.3.11, §7.5).
 */
import { defaultErrmsg } from './messages.js';
import type { Rng } from './rng.js';
import { randomHex } from './rng.js';

/** The Content-Type WeChat sends with JSON bodies [CSDN-61024]. */
export const JSON_CONTENT_TYPE = 'application/json; encoding=utf-8';

/** One answer of the fake, before any adapter turns it into bytes. */
export interface FakeResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The errcode the body carries (0 for success shapes without one); for the call log only. */
  errcode?: number;
}

/** Ways a body can be malformed (spec §7.5). */
export type MalformedVariant = 'truncated' | 'empty' | 'html' | 'text' | 'bom';

/** What an error envelope needs to build its suffix. */
export interface EnvelopeContext {
  host: 'api' | 'work';
  nowMs: number;
  rng: Rng;
  remoteIp: string;
}

/** A 200 JSON answer; key order is the order of `payload`. */
export function jsonResponse(payload: Record<string, unknown>, status = 200): FakeResponse {
  const errcode = typeof payload.errcode === 'number' ? payload.errcode : 0;
  return { status, headers: { 'content-type': JSON_CONTENT_TYPE }, body: JSON.stringify(payload), errcode };
}

/**
 * The errmsg suffix: MP's `rid: xxxxxxxx-xxxxxxxx-xxxxxxxx` (first part the unix time in hex, as real
 * rids look) or WeCom's `hint: [...], from ip: ..., more info at ...` [C-SYSERR][WC-C-40014].
 */
export function errmsgWithSuffix(ctx: EnvelopeContext, errcode: number, message: string): string {
  const sec = Math.floor(ctx.nowMs / 1000);
  if (ctx.host === 'work') {
    const hint = `${sec}_${String(ctx.rng.uint32() % 100).padStart(2, '0')}_${randomHex(ctx.rng, 32)}`;
    const info = `more info at https://open.work.weixin.qq.com/devtool/query?e=${errcode}`;
    return `${message}, hint: [${hint}], from ip: ${ctx.remoteIp}, ${info}`;
  }
  const rid = `${(sec >>> 0).toString(16).padStart(8, '0')}-${randomHex(ctx.rng, 8)}-${randomHex(ctx.rng, 8)}`;
  return `${message} rid: ${rid}`;
}

/**
 * A business error: HTTP 200, `{"errcode":N,"errmsg":"... rid: ..."}`.
 * @param asString send errcode as a JSON string (`"40001"`), a quirk clients must survive (spec §7.5).
 */
export function errorResponse(
  ctx: EnvelopeContext,
  errcode: number,
  message?: string,
  asString = false,
): FakeResponse {
  const errmsg = errmsgWithSuffix(ctx, errcode, message ?? defaultErrmsg(ctx.host, errcode, ctx.remoteIp));
  const response = jsonResponse({ errcode: asString ? String(errcode) : errcode, errmsg });
  response.errcode = errcode;
  return response;
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Temporarily Unavailable',
  504: 'Gateway Time-out',
};

/** A proxy-style HTML error page, as a gateway in front of WeChat would send (spec §7.5 http5xx). */
export function htmlErrorResponse(status: number): FakeResponse {
  const title = `${status} ${STATUS_TEXT[status] ?? 'Error'}`;
  const body =
    `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n` +
    `<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
  return { status, headers: { 'content-type': 'text/html' }, body };
}

/** A 404 for a path the fake does not serve. */
export function notFoundResponse(): FakeResponse {
  return htmlErrorResponse(404);
}

/** Corrupts a real answer the way a broken proxy or a bad deploy would (spec §7.5 malformed). */
export function malform(response: FakeResponse, variant: MalformedVariant): FakeResponse {
  const json = { 'content-type': JSON_CONTENT_TYPE };
  switch (variant) {
    case 'truncated':
      return {
        status: 200,
        headers: json,
        body: response.body.slice(0, Math.floor(response.body.length / 2)),
      };
    case 'empty':
      return { status: 200, headers: json, body: '' };
    case 'html':
      return {
        status: 200,
        headers: { 'content-type': 'text/html; charset=utf-8' },
        body: '<!DOCTYPE html><html><head><title>WeChat</title></head><body>系统繁忙，请稍后再试</body></html>',
      };
    case 'text':
      return { status: 200, headers: { 'content-type': 'text/plain' }, body: response.body };
    case 'bom':
      return { status: 200, headers: json, body: `\uFEFF${response.body}` };
  }
}
