import { describe, expect, it } from 'vitest';
import { getAuthorizerAccessToken } from '../../src/wechat/index.js';
import { depsWith, json, stubFetch } from './fetch-stub.js';

const PARAMS = {
  componentAppid: 'wxc',
  componentAccessToken: 'CAT-1',
  authorizerAppid: 'wxa',
  refreshToken: 'RT-1',
};

describe('getAuthorizerAccessToken', () => {
  it('POSTs to api_authorizer_token with the component token in the query and JSON body', async () => {
    const stub = stubFetch(
      json({ authorizer_access_token: 'AAT-1', expires_in: 7200, authorizer_refresh_token: 'RT-1' }),
    );
    await getAuthorizerAccessToken(depsWith(stub.fetch), PARAMS);
    expect(stub.requests[0]).toMatchObject({
      url: 'https://api.weixin.qq.com/cgi-bin/component/api_authorizer_token?component_access_token=CAT-1',
      method: 'POST',
      headers: { 'content-type': 'application/json' },
    });
    expect(JSON.parse(stub.requests[0].body!)).toEqual({
      component_appid: 'wxc',
      authorizer_appid: 'wxa',
      authorizer_refresh_token: 'RT-1',
    });
  });

  it('returns the refresh token WeChat answers with', async () => {
    const stub = stubFetch(
      json({ authorizer_access_token: 'AAT-1', expires_in: 7200, authorizer_refresh_token: 'RT-2' }),
    );
    await expect(getAuthorizerAccessToken(depsWith(stub.fetch), PARAMS)).resolves.toEqual({
      authorizerAccessToken: 'AAT-1',
      expiresIn: 7200,
      refreshToken: 'RT-2',
    });
  });

  it('returns the refresh token sent when the answer has none', async () => {
    const stub = stubFetch(json({ authorizer_access_token: 'AAT-1', expires_in: 7200 }));
    await expect(getAuthorizerAccessToken(depsWith(stub.fetch), PARAMS)).resolves.toEqual({
      authorizerAccessToken: 'AAT-1',
      expiresIn: 7200,
      refreshToken: 'RT-1',
    });
  });

  it.each([
    [40001, 'token_invalid'],
    [40014, 'token_invalid'],
    [42001, 'token_invalid'],
    [61023, 'configuration'],
    [45009, 'quota'],
  ])('rejects %i as %s', async (errcode, kind) => {
    const stub = stubFetch(json({ errcode, errmsg: 'x' }));
    await expect(getAuthorizerAccessToken(depsWith(stub.fetch), PARAMS)).rejects.toMatchObject({
      code: 'WR_ERR_WECHAT_API',
      errcode,
      kind,
    });
  });

  it('names the authorizer and its component in messages', async () => {
    const stub = stubFetch(json({ errcode: 61023, errmsg: 'refresh_token is invalid' }));
    await expect(getAuthorizerAccessToken(depsWith(stub.fetch), PARAMS)).rejects.toThrow(
      "authorizer appid 'wxa' of component 'wxc'",
    );
  });
});
