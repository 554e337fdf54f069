import { describe, expect, it } from 'vitest';
import { getWorkAgentTicket, getWorkJsApiTicket } from '../../src/wechat/index.js';
import { depsWith, json, stubFetch } from './fetch-stub.js';

const OK = { errcode: 0, errmsg: 'ok', ticket: 'WJT-1', expires_in: 7200 };

describe('getWorkJsApiTicket', () => {
  it('GETs /cgi-bin/get_jsapi_ticket on the WeCom host', async () => {
    const stub = stubFetch(json(OK));
    await expect(
      getWorkJsApiTicket(depsWith(stub.fetch), { corpid: 'ww1', accessToken: 'WT-1' }),
    ).resolves.toEqual({ ticket: 'WJT-1', expiresIn: 7200 });
    expect(stub.requests[0]).toMatchObject({
      url: 'https://qyapi.weixin.qq.com/cgi-bin/get_jsapi_ticket?access_token=WT-1',
      method: 'GET',
      body: undefined,
    });
  });

  it.each([
    [42001, 'token_invalid'],
    [40014, 'token_invalid'],
    [45009, 'transient'],
  ])('rejects %i as %s', async (errcode, kind) => {
    const stub = stubFetch(json({ errcode, errmsg: 'x' }));
    await expect(
      getWorkJsApiTicket(depsWith(stub.fetch), { corpid: 'ww1', accessToken: 'WT-1' }),
    ).rejects.toMatchObject({ errcode, kind });
  });
});

describe('getWorkAgentTicket', () => {
  it('GETs /cgi-bin/ticket/get with type=agent_config on the WeCom host', async () => {
    const stub = stubFetch(json({ ...OK, ticket: 'WAT-1' }));
    await expect(
      getWorkAgentTicket(depsWith(stub.fetch), { corpid: 'ww1', accessToken: 'WT-1' }),
    ).resolves.toEqual({ ticket: 'WAT-1', expiresIn: 7200 });
    expect(stub.requests[0]).toMatchObject({
      url: 'https://qyapi.weixin.qq.com/cgi-bin/ticket/get?access_token=WT-1&type=agent_config',
      method: 'GET',
      body: undefined,
    });
  });

  it('rejects 91040 (invalid ticket type) as configuration', async () => {
    const stub = stubFetch(json({ errcode: 91040, errmsg: 'invalid ticket type' }));
    await expect(
      getWorkAgentTicket(depsWith(stub.fetch), { corpid: 'ww1', accessToken: 'WT-1' }),
    ).rejects.toMatchObject({ errcode: 91040, kind: 'configuration' });
  });
});
