import { describe, expect, it } from 'vitest';
import { getComponentAccessToken } from '../../src/wechat/index.js';
import { depsWith, json, stubFetch } from './fetch-stub.js';

const PARAMS = { componentAppid: 'wxc', componentSecret: 'CS', verifyTicket: 'ticket@@@VT' };

describe('getComponentAccessToken', () => {
  it('POSTs the appid, secret and verify ticket as JSON to api_component_token', async () => {
    const stub = stubFetch(json({ component_access_token: 'CAT-1', expires_in: 7200 }));
    await getComponentAccessToken(depsWith(stub.fetch), PARAMS);
    expect(stub.requests[0]).toMatchObject({
      url: 'https://api.weixin.qq.com/cgi-bin/component/api_component_token',
      method: 'POST',
      headers: { 'content-type': 'application/json' },
    });
    expect(JSON.parse(stub.requests[0].body!)).toEqual({
      component_appid: 'wxc',
      component_appsecret: 'CS',
      component_verify_ticket: 'ticket@@@VT',
    });
  });

  it('returns the component token and expiresIn from an answer without errcode', async () => {
    const stub = stubFetch(json({ component_access_token: 'CAT-1', expires_in: 7200 }));
    await expect(getComponentAccessToken(depsWith(stub.fetch), PARAMS)).resolves.toEqual({
      componentAccessToken: 'CAT-1',
      expiresIn: 7200,
    });
  });

  it.each([
    [61005, 'transient'],
    [61006, 'transient'],
    [40001, 'configuration'],
    [40125, 'configuration'],
    [61004, 'configuration'],
    [45009, 'quota'],
  ])('rejects %i as %s', async (errcode, kind) => {
    const stub = stubFetch(json({ errcode, errmsg: 'x' }));
    await expect(getComponentAccessToken(depsWith(stub.fetch), PARAMS)).rejects.toMatchObject({
      code: 'WR_ERR_WECHAT_API',
      errcode,
      kind,
    });
  });

  it('names the component appid in messages', async () => {
    const stub = stubFetch(json({ errcode: 61006, errmsg: 'ticket invalid' }));
    await expect(getComponentAccessToken(depsWith(stub.fetch), PARAMS)).rejects.toThrow(
      "component appid 'wxc'",
    );
  });
});
