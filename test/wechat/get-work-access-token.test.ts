import { describe, expect, it } from 'vitest';
import { getWorkAccessToken } from '../../src/wechat/index.js';
import { depsWith, json, stubFetch } from './fetch-stub.js';

describe('getWorkAccessToken', () => {
  it('GETs /cgi-bin/gettoken on the WeCom host with corpid and corpsecret', async () => {
    const stub = stubFetch(json({ errcode: 0, errmsg: 'ok', access_token: 'WT-1', expires_in: 7200 }));
    await getWorkAccessToken(depsWith(stub.fetch), { corpid: 'ww1', secret: 'AS', agentId: 1000002 });
    expect(stub.requests[0]).toMatchObject({
      url: 'https://qyapi.weixin.qq.com/cgi-bin/gettoken?corpid=ww1&corpsecret=AS',
      method: 'GET',
      body: undefined,
    });
  });

  it('returns the token and expiresIn from an errcode 0 answer', async () => {
    const stub = stubFetch(json({ errcode: 0, errmsg: 'ok', access_token: 'WT-1', expires_in: 7200 }));
    await expect(getWorkAccessToken(depsWith(stub.fetch), { corpid: 'ww1', secret: 'AS' })).resolves.toEqual({
      accessToken: 'WT-1',
      expiresIn: 7200,
    });
  });

  it.each([
    [45009, 'transient'],
    [45033, 'transient'],
    [40001, 'configuration'],
    [40091, 'configuration'],
    [60020, 'configuration'],
  ])('rejects %i as %s', async (errcode, kind) => {
    const stub = stubFetch(json({ errcode, errmsg: 'x' }));
    await expect(
      getWorkAccessToken(depsWith(stub.fetch), { corpid: 'ww1', secret: 'AS' }),
    ).rejects.toMatchObject({
      code: 'WR_ERR_WECHAT_API',
      errcode,
      kind,
    });
  });

  it('names the corpid and agent in messages', async () => {
    const stub = stubFetch(json({ errcode: 40013, errmsg: 'invalid corpid' }));
    await expect(
      getWorkAccessToken(depsWith(stub.fetch), { corpid: 'ww1', secret: 'AS', agentId: 1000002 }),
    ).rejects.toThrow(
      "WeChat GET /cgi-bin/gettoken for corpid 'ww1' agent 1000002: errcode 40013: invalid corpid",
    );
  });
});
