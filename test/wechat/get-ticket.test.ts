import { describe, expect, it } from 'vitest';
import { getTicket } from '../../src/wechat/index.js';
import { depsWith, json, stubFetch } from './fetch-stub.js';

describe('getTicket', () => {
  it.each(['jsapi', 'wx_card'] as const)(
    'GETs /cgi-bin/ticket/getticket with access_token and type=%s',
    async (type) => {
      const stub = stubFetch(json({ errcode: 0, errmsg: 'ok', ticket: 'T-1', expires_in: 7200 }));
      await getTicket(depsWith(stub.fetch), { appid: 'wx1', accessToken: 'AT-1', type });
      expect(stub.requests[0]).toMatchObject({
        url: `https://api.weixin.qq.com/cgi-bin/ticket/getticket?access_token=AT-1&type=${type}`,
        method: 'GET',
        body: undefined,
      });
    },
  );

  it('returns the ticket and expiresIn from an errcode 0 answer', async () => {
    const stub = stubFetch(json({ errcode: 0, errmsg: 'ok', ticket: 'T-1', expires_in: 7200 }));
    await expect(
      getTicket(depsWith(stub.fetch), { appid: 'wx1', accessToken: 'AT-1', type: 'jsapi' }),
    ).resolves.toEqual({ ticket: 'T-1', expiresIn: 7200 });
  });

  it.each([40001, 40014, 42001])('rejects %i as token_invalid', async (errcode) => {
    const stub = stubFetch(json({ errcode, errmsg: 'invalid credential' }));
    await expect(
      getTicket(depsWith(stub.fetch), { appid: 'wx1', accessToken: 'AT-1', type: 'jsapi' }),
    ).rejects.toMatchObject({ code: 'WR_ERR_WECHAT_API', errcode, kind: 'token_invalid' });
  });

  it('names the appid and ticket type in messages', async () => {
    const stub = stubFetch(json({ errcode: -1, errmsg: 'system error' }));
    await expect(
      getTicket(depsWith(stub.fetch), { appid: 'wx1', accessToken: 'AT-1', type: 'wx_card' }),
    ).rejects.toThrow(
      "WeChat GET /cgi-bin/ticket/getticket for appid 'wx1' (wx_card): errcode -1: system error",
    );
  });
});
