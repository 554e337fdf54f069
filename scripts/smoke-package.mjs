#!/usr/bin/env node
import { createRefresher } from 'wechat-refresher';
// Plain Node, no TypeScript loader: the package's exports map must work as users will import it.
import { createFakeWeChat } from 'wechat-refresher/fake';
import { createRefresherServer } from 'wechat-refresher/server';

const fake = createFakeWeChat({ apps: [{ appid: 'wxsmoke', secret: 'smoke-secret' }] });
const refresher = createRefresher({
  clients: [{ kind: 'mini_program', appid: 'wxsmoke', secret: 'smoke-secret' }],
  fetch: fake.fetch,
});
await refresher.ready;
const token = refresher.getToken('wxsmoke', 'access_token');
if (!token || !fake.isValid(token)) throw new Error('no valid token through the built package');
const server = createRefresherServer(refresher, { token: 'smoke-token-0123456789' });
const res = await server.inject({ method: 'GET', url: '/healthz' });
if (res.statusCode !== 200) throw new Error(`/healthz answered ${res.statusCode}`);
await server.close();
await refresher.stop();
console.log('package smoke: ok');
