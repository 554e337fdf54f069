/** The WeChat boundary against the fake over loopback HTTP (Node's fetch, real sockets on 127.0.0.1). */
import { describe, expect, it } from 'vitest';
import { wechatContract } from './wechat-contract.js';

wechatContract('loopback HTTP', { describe, it, expect }, async (fake) => {
  const server = await fake.listen();
  return {
    deps: { fetch: globalThis.fetch, endpoints: { api: server.api, work: server.work } },
    close: () => server.close(),
  };
});

// Endpoint bases with a path prefix (`http://127.0.0.1:4000/api`): both families through one port.
wechatContract(
  'loopback HTTP, /api and /work prefixes on one port',
  { describe, it, expect },
  async (fake) => {
    const server = await fake.listen();
    return {
      deps: { fetch: globalThis.fetch, endpoints: { api: `${server.api}/api`, work: `${server.api}/work/` } },
      close: () => server.close(),
    };
  },
);
