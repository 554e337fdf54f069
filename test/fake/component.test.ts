import { describe, expect, it } from 'vitest';
import type { FakeWeChat } from '../../src/fake/index.js';
import { API, APP, COMPONENT, call, HOUR, MIN, post, RID, setup } from './helpers.js';

const AUTHORIZER = COMPONENT.authorizers[0];

function componentToken(fake: FakeWeChat, ticket = COMPONENT.verifyTicket, secret = COMPONENT.secret) {
  return post(fake, '/cgi-bin/component/api_component_token', {
    component_appid: COMPONENT.appid,
    component_appsecret: secret,
    component_verify_ticket: ticket,
  });
}

function authorizerToken(
  fake: FakeWeChat,
  query: Record<string, string>,
  refreshToken = AUTHORIZER.refreshToken,
  authorizerAppid = AUTHORIZER.appid,
) {
  return post(
    fake,
    '/cgi-bin/component/api_authorizer_token',
    {
      component_appid: COMPONENT.appid,
      authorizer_appid: authorizerAppid,
      authorizer_refresh_token: refreshToken,
    },
    query,
  );
}

describe('POST /cgi-bin/component/api_component_token', () => {
  it('answers {component_access_token, expires_in} with no errcode field', async () => {
    const { fake } = setup();
    const res = await componentToken(fake);
    expect(Object.keys(res.json)).toEqual(['component_access_token', 'expires_in']);
    expect(res.json.expires_in).toBe(7200);
    expect(fake.isValid(res.json.component_access_token)).toBe(true);
  });

  it('a verify ticket never pushed answers 61006', async () => {
    const { fake } = setup();
    const res = await componentToken(fake, 'ticket@@@made_up');
    expect(res.json.errcode).toBe(61006);
    expect(res.json.errmsg).toMatch(RID);
  });

  it('a ticket older than 12 h answers 61005; a freshly pushed one works', async () => {
    const { fake, clock } = setup();
    clock.increment(12 * HOUR);
    expect((await componentToken(fake)).json.errcode).toBe(61005);
    const pushed = fake.pushVerifyTicket(COMPONENT.appid);
    expect(pushed).toMatch(/^ticket@@@/);
    expect((await componentToken(fake, pushed)).json.component_access_token).toBeDefined();
  });

  it('any ticket pushed within 12 h still works after a newer push; a given value is accepted', async () => {
    const { fake, clock } = setup();
    clock.increment(HOUR);
    expect(fake.pushVerifyTicket(COMPONENT.appid, 'ticket@@@mine')).toBe('ticket@@@mine');
    expect((await componentToken(fake, 'ticket@@@mine')).json.component_access_token).toBeDefined();
    expect((await componentToken(fake)).json.component_access_token).toBeDefined();
  });

  it('a wrong secret answers 40125; missing fields 41002 / 41004; a form body 47001', async () => {
    const { fake } = setup();
    expect((await componentToken(fake, COMPONENT.verifyTicket, 'wrong')).json.errcode).toBe(40125);
    const path = '/cgi-bin/component/api_component_token';
    expect((await post(fake, path, { component_appsecret: 'x' })).json.errcode).toBe(41002);
    expect((await post(fake, path, { component_appid: COMPONENT.appid })).json.errcode).toBe(41004);
    const form = await call(fake, `${API}${path}`, { method: 'POST', body: 'component_appid=x' });
    expect(form.json.errcode).toBe(47001);
  });

  it('an unknown appid answers 40013 and an ordinary app 61011', async () => {
    const { fake } = setup();
    const path = '/cgi-bin/component/api_component_token';
    const body = { component_appsecret: 's', component_verify_ticket: 't' };
    expect((await post(fake, path, { ...body, component_appid: 'wx_nobody' })).json.errcode).toBe(40013);
    expect((await post(fake, path, { ...body, component_appid: APP.appid })).json.errcode).toBe(61011);
  });

  it('a refreshed component token leaves the old one usable for 5 minutes', async () => {
    const { fake, clock } = setup();
    const old = (await componentToken(fake)).json.component_access_token;
    await componentToken(fake);
    clock.increment(5 * MIN - 1);
    expect(
      (await authorizerToken(fake, { component_access_token: old })).json.authorizer_access_token,
    ).toBeDefined();
    clock.increment(1);
    expect((await authorizerToken(fake, { component_access_token: old })).json.errcode).toBe(40001);
  });
});

describe('POST /cgi-bin/component/api_authorizer_token', () => {
  it('accepts the component token as component_access_token= or access_token=', async () => {
    const { fake } = setup();
    const ctoken = (await componentToken(fake)).json.component_access_token;
    const a = await authorizerToken(fake, { component_access_token: ctoken });
    const b = await authorizerToken(fake, { access_token: ctoken });
    expect(Object.keys(a.json)).toEqual([
      'authorizer_access_token',
      'expires_in',
      'authorizer_refresh_token',
    ]);
    expect(b.json.authorizer_access_token).toBeDefined();
    expect(b.json.authorizer_access_token).not.toBe(a.json.authorizer_access_token);
  });

  it('returns the same refresh token every time (no rotation)', async () => {
    const { fake } = setup();
    const ctoken = (await componentToken(fake)).json.component_access_token;
    for (let i = 0; i < 3; i++) {
      const res = await authorizerToken(fake, { component_access_token: ctoken });
      expect(res.json.authorizer_refresh_token).toBe(AUTHORIZER.refreshToken);
    }
  });

  it('the replaced authorizer token keeps a 5-minute grace', async () => {
    const { fake, clock } = setup();
    const ctoken = (await componentToken(fake)).json.component_access_token;
    const first = (await authorizerToken(fake, { access_token: ctoken })).json.authorizer_access_token;
    await authorizerToken(fake, { access_token: ctoken });
    expect(fake.isValid(first)).toBe(true);
    clock.increment(5 * MIN);
    expect(fake.tokenStatus(first)).toBe('superseded');
  });

  it('a missing component token answers 41001, an unknown or wrong-kind one 40001, an expired one 42001', async () => {
    const { fake, clock } = setup();
    expect((await authorizerToken(fake, {})).json.errcode).toBe(41001);
    expect((await authorizerToken(fake, { access_token: 'nope' })).json.errcode).toBe(40001);
    const ctoken = (await componentToken(fake)).json.component_access_token;
    clock.increment(7200 * 1000);
    expect((await authorizerToken(fake, { access_token: ctoken })).json.errcode).toBe(42001);
  });

  it('a wrong refresh token or an unknown authorizer answers 61023', async () => {
    const { fake } = setup();
    const ctoken = (await componentToken(fake)).json.component_access_token;
    expect((await authorizerToken(fake, { access_token: ctoken }, 'refreshtoken@@@wrong')).json.errcode).toBe(
      61023,
    );
    const unknown = await authorizerToken(
      fake,
      { access_token: ctoken },
      AUTHORIZER.refreshToken,
      'wx_stranger',
    );
    expect(unknown.json.errcode).toBe(61023);
  });

  it('revokeAuthorization() answers 61023 and kills live authorizer tokens; authorize() restores it', async () => {
    const { fake } = setup();
    const ctoken = (await componentToken(fake)).json.component_access_token;
    const atoken = (await authorizerToken(fake, { access_token: ctoken })).json.authorizer_access_token;
    fake.revokeAuthorization(COMPONENT.appid, AUTHORIZER.appid);
    expect(fake.isValid(atoken)).toBe(false);
    const refused = await authorizerToken(fake, { access_token: ctoken });
    expect(refused.json.errcode).toBe(61023);
    expect(refused.json.errmsg).toMatch(/^refresh_token is invalid rid: /);
    fake.authorize(COMPONENT.appid, { appid: AUTHORIZER.appid, refreshToken: 'refreshtoken@@@new' });
    expect((await authorizerToken(fake, { access_token: ctoken })).json.errcode).toBe(61023);
    const back = await authorizerToken(fake, { access_token: ctoken }, 'refreshtoken@@@new');
    expect(back.json.authorizer_refresh_token).toBe('refreshtoken@@@new');
  });

  it("refuses another component's token for this component_appid with 40013", async () => {
    const { fake } = setup();
    fake.addComponent({ appid: 'wx_other_component', secret: 'o', verifyTicket: 'ticket@@@other' });
    const other = await post(fake, '/cgi-bin/component/api_component_token', {
      component_appid: 'wx_other_component',
      component_appsecret: 'o',
      component_verify_ticket: 'ticket@@@other',
    });
    const res = await authorizerToken(fake, { access_token: other.json.component_access_token });
    expect(res.json.errcode).toBe(40013);
  });
});
