import { describe, expect, it } from 'vitest';
import type { FakeWeChat } from '../../src/fake/index.js';
import { CORP, get, HOUR, setup, WORK } from './helpers.js';

const HINT =
  /, hint: \[\d+_\d{2}_[0-9a-f]{32}\], from ip: 127\.0\.0\.1, more info at https:\/\/open\.work\.weixin\.qq\.com\/devtool\/query\?e=-?\d+$/;

function gettoken(fake: FakeWeChat, corpsecret = CORP.agents[0].secret, corpid = CORP.corpid) {
  return get(fake, WORK, '/cgi-bin/gettoken', { corpid, corpsecret });
}

describe('WeCom GET /cgi-bin/gettoken', () => {
  it('answers errcode 0, errmsg ok, access_token, expires_in', async () => {
    const { fake } = setup();
    const res = await gettoken(fake);
    expect(Object.keys(res.json)).toEqual(['errcode', 'errmsg', 'access_token', 'expires_in']);
    expect(res.json).toMatchObject({ errcode: 0, errmsg: 'ok', expires_in: 7200 });
  });

  it('returns the live token while valid, counting down; a new one after expiry', async () => {
    const { fake, clock } = setup();
    const first = (await gettoken(fake)).json.access_token;
    clock.increment(HOUR);
    const again = await gettoken(fake);
    expect(again.json.access_token).toBe(first);
    expect(again.json.expires_in).toBe(3600);
    clock.increment(HOUR);
    const next = await gettoken(fake);
    expect(next.json.access_token).not.toBe(first);
    expect(next.json.expires_in).toBe(7200);
  });

  it("workExpiresIn: 'constant' reports 7200 on a repeat fetch", async () => {
    const { fake, clock } = setup({ workExpiresIn: 'constant' });
    await gettoken(fake);
    clock.increment(HOUR);
    expect((await gettoken(fake)).json.expires_in).toBe(7200);
  });

  it('each agent has its own token', async () => {
    const { fake } = setup();
    const a = (await gettoken(fake, CORP.agents[0].secret)).json.access_token;
    const b = (await gettoken(fake, CORP.agents[1].secret)).json.access_token;
    expect(a).not.toBe(b);
  });

  it('errors carry the WeCom hint suffix: wrong secret 40001, unknown corp 40013, missing params', async () => {
    const { fake } = setup();
    const wrong = await gettoken(fake, 'wrong');
    expect(wrong.json.errcode).toBe(40001);
    expect(wrong.json.errmsg).toMatch(/^invalid credential, hint: /);
    expect(wrong.json.errmsg).toMatch(HINT);
    expect((await gettoken(fake, 'x', 'ww_nobody')).json.errcode).toBe(40013);
    expect((await get(fake, WORK, '/cgi-bin/gettoken', { corpsecret: 'x' })).json.errcode).toBe(41002);
    expect((await get(fake, WORK, '/cgi-bin/gettoken', { corpid: CORP.corpid })).json.errcode).toBe(41004);
  });

  it("another corp's secret answers 40091", async () => {
    const { fake } = setup();
    fake.addCorp({ corpid: 'ww_other', agents: [{ id: 1, secret: 'other_secret' }] });
    expect((await gettoken(fake, 'other_secret')).json.errcode).toBe(40091);
  });

  it('expireToken() makes the next gettoken mint a new token and the old one answer 42001', async () => {
    const { fake } = setup();
    const first = (await gettoken(fake)).json.access_token;
    fake.expireToken(first);
    const second = (await gettoken(fake)).json.access_token;
    expect(second).not.toBe(first);
    const res = await get(fake, WORK, '/cgi-bin/get_jsapi_ticket', { access_token: first });
    expect(res.json.errcode).toBe(42001);
  });

  it('rotateSecret({corpid, agentId}) refuses the old agent secret', async () => {
    const { fake } = setup();
    fake.rotateSecret({ corpid: CORP.corpid, agentId: 1000002 }, 'rotated');
    expect((await gettoken(fake)).json.errcode).toBe(40001);
    expect((await gettoken(fake, 'rotated')).json.errcode).toBe(0);
  });

  it('a caller outside the corp IP whitelist answers 60020', async () => {
    const { fake } = setup({ corps: [{ ...CORP, ipWhitelist: ['10.1.1.1'] }] });
    const res = await gettoken(fake);
    expect(res.json.errcode).toBe(60020);
    expect(res.json.errmsg).toMatch(/^not allow to access from your ip, hint: /);
    expect(res.json.errmsg).toMatch(HINT);
  });
});

describe('WeCom JS-SDK tickets', () => {
  it('get_jsapi_ticket and ticket/get?type=agent_config return different tickets', async () => {
    const { fake } = setup();
    const token = (await gettoken(fake)).json.access_token;
    const corpTicket = await get(fake, WORK, '/cgi-bin/get_jsapi_ticket', { access_token: token });
    const agentTicket = await get(fake, WORK, '/cgi-bin/ticket/get', {
      access_token: token,
      type: 'agent_config',
    });
    expect(Object.keys(corpTicket.json)).toEqual(['errcode', 'errmsg', 'ticket', 'expires_in']);
    expect(corpTicket.json).toMatchObject({ errcode: 0, errmsg: 'ok', expires_in: 7200 });
    expect(agentTicket.json).toMatchObject({ errcode: 0, errmsg: 'ok', expires_in: 7200 });
    expect(agentTicket.json.ticket).not.toBe(corpTicket.json.ticket);
  });

  it('agent_config tickets differ per agent and repeat while valid', async () => {
    const { fake } = setup();
    const t2 = (await gettoken(fake, CORP.agents[0].secret)).json.access_token;
    const t3 = (await gettoken(fake, CORP.agents[1].secret)).json.access_token;
    const a = (await get(fake, WORK, '/cgi-bin/ticket/get', { access_token: t2, type: 'agent_config' })).json
      .ticket;
    const b = (await get(fake, WORK, '/cgi-bin/ticket/get', { access_token: t3, type: 'agent_config' })).json
      .ticket;
    expect(a).not.toBe(b);
    expect(
      (await get(fake, WORK, '/cgi-bin/ticket/get', { access_token: t2, type: 'agent_config' })).json.ticket,
    ).toBe(a);
  });

  it('a bad type answers 91040, a missing token 41001, an MP token 40014', async () => {
    const { fake } = setup();
    const token = (await gettoken(fake)).json.access_token;
    expect(
      (await get(fake, WORK, '/cgi-bin/ticket/get', { access_token: token, type: 'x' })).json.errcode,
    ).toBe(91040);
    expect((await get(fake, WORK, '/cgi-bin/get_jsapi_ticket')).json.errcode).toBe(41001);
    const mp = await get(fake, 'https://api.weixin.qq.com', '/cgi-bin/token', {
      grant_type: 'client_credential',
      appid: 'wx_app',
      secret: 'app_secret',
    });
    const res = await get(fake, WORK, '/cgi-bin/get_jsapi_ticket', { access_token: mp.json.access_token });
    expect(res.json.errcode).toBe(40014);
  });

  it('an agent may fetch tickets 100 times an hour; the 101st answers 45009', async () => {
    const { fake, clock } = setup();
    const token = (await gettoken(fake)).json.access_token;
    for (let i = 0; i < 100; i++) {
      expect((await get(fake, WORK, '/cgi-bin/get_jsapi_ticket', { access_token: token })).json.errcode).toBe(
        0,
      );
    }
    const refused = await get(fake, WORK, '/cgi-bin/get_jsapi_ticket', { access_token: token });
    expect(refused.json.errcode).toBe(45009);
    expect(refused.json.errmsg).toMatch(/^api freq out of limit, hint: /);
    clock.increment(HOUR);
    expect((await get(fake, WORK, '/cgi-bin/get_jsapi_ticket', { access_token: token })).json.errcode).toBe(
      0,
    );
  });
});
