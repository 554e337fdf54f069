import { describe, expect, it } from 'vitest';
import { getStableAccessToken } from '../../src/wechat/index.js';
import { depsWith, json, stubFetch } from './fetch-stub.js';

describe('getStableAccessToken', () => {
  it('POSTs JSON to /cgi-bin/stable_token with force_refresh false by default', async () => {
    const stub = stubFetch(json({ access_token: 'ST-1', expires_in: 7200 }));
    await getStableAccessToken(depsWith(stub.fetch), { appid: 'wx1', secret: 'S1' });
    expect(stub.requests[0]).toMatchObject({
      url: 'https://api.weixin.qq.com/cgi-bin/stable_token',
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
    });
    expect(JSON.parse(stub.requests[0].body!)).toEqual({
      grant_type: 'client_credential',
      appid: 'wx1',
      secret: 'S1',
      force_refresh: false,
    });
  });

  it('sends force_refresh true when asked', async () => {
    const stub = stubFetch(json({ access_token: 'ST-2', expires_in: 7200 }));
    await getStableAccessToken(depsWith(stub.fetch), { appid: 'wx1', secret: 'S1', forceRefresh: true });
    expect(JSON.parse(stub.requests[0].body!)).toMatchObject({ force_refresh: true });
  });

  it('returns the token and its remaining lifetime', async () => {
    const stub = stubFetch(json({ access_token: 'ST-1', expires_in: 4321 }));
    await expect(getStableAccessToken(depsWith(stub.fetch), { appid: 'wx1', secret: 'S1' })).resolves.toEqual(
      {
        accessToken: 'ST-1',
        expiresIn: 4321,
      },
    );
  });

  it('rejects 41002 (no JSON body reached WeChat) as configuration', async () => {
    const stub = stubFetch(json({ errcode: 41002, errmsg: 'appid missing rid: 1' }));
    await expect(
      getStableAccessToken(depsWith(stub.fetch), { appid: 'wx1', secret: 'S1' }),
    ).rejects.toMatchObject({ code: 'WR_ERR_WECHAT_API', errcode: 41002, kind: 'configuration' });
  });
});
