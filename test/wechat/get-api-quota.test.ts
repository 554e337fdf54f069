import { describe, expect, it } from 'vitest';
import { getApiQuota } from '../../src/wechat/index.js';
import { depsWith, failureOf, json, stubFetch } from './fetch-stub.js';

const OK = {
  errcode: 0,
  errmsg: 'ok',
  quota: { daily_limit: 2000, used: 12, remain: 1988 },
  rate_limit: { call_count: 100, refresh_second: 60 },
};

describe('getApiQuota', () => {
  it('POSTs {cgi_path} to /cgi-bin/openapi/quota/get with the access token in the query', async () => {
    const stub = stubFetch(json(OK));
    await getApiQuota(depsWith(stub.fetch), { accessToken: 'AT-1', cgiPath: '/cgi-bin/token' });
    expect(stub.requests[0]).toMatchObject({
      url: 'https://api.weixin.qq.com/cgi-bin/openapi/quota/get?access_token=AT-1',
      method: 'POST',
      headers: { 'content-type': 'application/json' },
    });
    expect(JSON.parse(stub.requests[0].body!)).toEqual({ cgi_path: '/cgi-bin/token' });
  });

  it('returns dailyLimit, used and remain', async () => {
    const stub = stubFetch(json(OK));
    await expect(
      getApiQuota(depsWith(stub.fetch), { accessToken: 'AT-1', cgiPath: '/cgi-bin/token' }),
    ).resolves.toEqual({ dailyLimit: 2000, used: 12, remain: 1988 });
  });

  it.each([
    [40001, 'token_invalid'],
    [42001, 'token_invalid'],
    [76021, 'configuration'],
    [76022, 'configuration'],
  ])('rejects %i as %s (a dead token is what the probe looks for)', async (errcode, kind) => {
    const stub = stubFetch(json({ errcode, errmsg: 'x' }));
    await expect(
      getApiQuota(depsWith(stub.fetch), { accessToken: 'AT-1', cgiPath: '/cgi-bin/token', appid: 'wx1' }),
    ).rejects.toMatchObject({ errcode, kind });
  });

  it('rejects an answer without quota as a transient HTTP error naming the field', async () => {
    const stub = stubFetch(json({ errcode: 0, errmsg: 'ok' }));
    const error = await failureOf(() =>
      getApiQuota(depsWith(stub.fetch), { accessToken: 'AT-1', cgiPath: '/cgi-bin/token', appid: 'wx1' }),
    );
    expect(error).toMatchObject({ code: 'WR_ERR_WECHAT_HTTP', kind: 'transient' });
    expect((error as Error).message).toContain("for appid 'wx1'");
    expect((error as Error).message).toContain('quota.daily_limit');
  });
});
