import { describe, expect, it } from 'vitest';
import {
  API,
  COMPONENT,
  get,
  getStableToken,
  getTicket,
  getToken,
  HOUR,
  MIN,
  post,
  setup,
} from './helpers.js';

async function componentToken(fake: Parameters<typeof getToken>[0]): Promise<string> {
  const res = await post(fake, '/cgi-bin/component/api_component_token', {
    component_appid: COMPONENT.appid,
    component_appsecret: COMPONENT.secret,
    component_verify_ticket: COMPONENT.verifyTicket,
  });
  return res.json.component_access_token;
}

describe('GET /cgi-bin/ticket/getticket', () => {
  it('answers errcode 0, errmsg ok, ticket and expires_in 7200, in that order', async () => {
    const { fake } = setup();
    const token = (await getToken(fake)).json.access_token;
    const res = await getTicket(fake, token, 'jsapi');
    expect(Object.keys(res.json)).toEqual(['errcode', 'errmsg', 'ticket', 'expires_in']);
    expect(res.json).toMatchObject({ errcode: 0, errmsg: 'ok', expires_in: 7200 });
    expect(fake.isValid(res.json.ticket)).toBe(true);
  });

  it('returns the same ticket while valid, with expires_in still 7200, and jsapi differs from wx_card', async () => {
    const { fake, clock } = setup();
    const token = (await getToken(fake)).json.access_token;
    const jsapi = (await getTicket(fake, token, 'jsapi')).json.ticket;
    clock.increment(HOUR);
    const again = await getTicket(fake, token, 'jsapi');
    expect(again.json.ticket).toBe(jsapi);
    expect(again.json.expires_in).toBe(7200);
    const card = (await getTicket(fake, token, 'wx_card')).json.ticket;
    expect(card).not.toBe(jsapi);
  });

  it('is keyed by (appid, type): a new access token gets the same ticket', async () => {
    const { fake } = setup();
    const ticket = (await getTicket(fake, (await getToken(fake)).json.access_token)).json.ticket;
    const stable = (await getStableToken(fake)).json.access_token;
    expect((await getTicket(fake, stable)).json.ticket).toBe(ticket);
  });

  it('after expiry a new ticket is minted; the old one is not revived', async () => {
    const { fake, clock } = setup();
    const first = (await getTicket(fake, (await getStableToken(fake)).json.access_token)).json.ticket;
    clock.increment(7200 * 1000);
    expect(fake.isValid(first)).toBe(false);
    const token = (await getStableToken(fake)).json.access_token;
    const second = (await getTicket(fake, token)).json.ticket;
    expect(second).not.toBe(first);
  });

  it('a missing token answers 41001, an unknown one 40014, a bad type 40002', async () => {
    const { fake } = setup();
    expect((await get(fake, API, '/cgi-bin/ticket/getticket', { type: 'jsapi' })).json.errcode).toBe(41001);
    expect((await getTicket(fake, 'made_up_token')).json.errcode).toBe(40014);
    const token = (await getToken(fake)).json.access_token;
    expect((await getTicket(fake, token, 'bogus')).json.errcode).toBe(40002);
  });

  it('a superseded token answers 40001 only after the grace window', async () => {
    const { fake, clock } = setup();
    const old = (await getToken(fake)).json.access_token;
    await getToken(fake);
    clock.increment(4 * MIN);
    expect((await getTicket(fake, old)).json.errcode).toBe(0);
    clock.increment(MIN);
    expect((await getTicket(fake, old)).json.errcode).toBe(40001);
  });

  it('an authorizer_access_token gets its authorizer tickets; a component token answers 48001', async () => {
    const { fake } = setup();
    const ctoken = await componentToken(fake);
    expect((await getTicket(fake, ctoken)).json.errcode).toBe(48001);
    const res = await post(
      fake,
      '/cgi-bin/component/api_authorizer_token',
      {
        component_appid: COMPONENT.appid,
        authorizer_appid: 'wx_authorizer',
        authorizer_refresh_token: 'refreshtoken@@@auth',
      },
      { component_access_token: ctoken },
    );
    const ticket = await getTicket(fake, res.json.authorizer_access_token);
    expect(ticket.json.errcode).toBe(0);
    expect(fake.calls.at(-1)?.appids).toContain('wx_authorizer');
  });

  it('counts toward a daily ticket quota: 45009 beyond it', async () => {
    const { fake } = setup({ quotas: { ticketDaily: 2 } });
    const token = (await getToken(fake)).json.access_token;
    await getTicket(fake, token, 'jsapi');
    await getTicket(fake, token, 'wx_card');
    expect((await getTicket(fake, token, 'jsapi')).json.errcode).toBe(45009);
  });
});
