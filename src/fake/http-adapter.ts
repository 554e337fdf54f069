/**
 * The loopback HTTP face of the fake: two node:http servers on 127.0.0.1, one standing in for
 * api.weixin.qq.com and one for qyapi.weixin.qq.com, both calling the same handler as `fetch`.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { splitPrefix } from './fetch-adapter.js';
import type { FakeHandler } from './handler.js';
import type { FakeRequest } from './request.js';
import { normalizeIp, queryRecord } from './request.js';

/** Where to listen. */
export interface FakeListenOptions {
  /** Port of the api host. @default 0 (ephemeral) */
  port?: number;
  /** Port of the work (WeCom) host. @default 0 (ephemeral) */
  workPort?: number;
  /** Interface to bind. @default '127.0.0.1' */
  host?: string;
}

/** A listening fake: base URLs to use in place of the real hosts. */
export interface FakeServer {
  /** Replaces `https://api.weixin.qq.com`, e.g. `http://127.0.0.1:41234`. */
  api: string;
  /** Replaces `https://qyapi.weixin.qq.com`. */
  work: string;
  /** Stops both servers and drops open connections (hung calls included). */
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function serve(handle: FakeHandler, family: 'api' | 'work') {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const aborted = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) aborted.abort(new Error('client closed the connection'));
    });
    try {
      const url = new URL(req.url ?? '/', 'http://fake.invalid');
      const target = splitPrefix(url.pathname, family);
      const request: FakeRequest = {
        method: req.method ?? 'GET',
        host: target.host,
        path: target.path,
        query: queryRecord(url.searchParams),
        headers: Object.fromEntries(
          Object.entries(req.headers).map(([key, value]) => [
            key,
            Array.isArray(value) ? value.join(', ') : (value ?? ''),
          ]),
        ),
        body: await readBody(req),
        remoteIp: normalizeIp(req.socket.remoteAddress),
      };
      const result = await handle(request, aborted.signal);
      if (result.type === 'reset') {
        // An RST, as a proxy or a crashed upstream would leave the client with.
        req.socket.resetAndDestroy();
        return;
      }
      const { status, headers, body } = result.response;
      res.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(body)) });
      res.end(body);
    } catch (error) {
      if (aborted.signal.aborted || res.headersSent) return;
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`fake WeChat failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
}

function start(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function stop(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/**
 * Serves the handler over HTTP.
 * @param onOrigin called with each origin and its family, so the in-process fetch can answer them too.
 */
export async function listenFake(
  handle: FakeHandler,
  options: FakeListenOptions,
  onOrigin: (origin: string, family: 'api' | 'work', open: boolean) => void,
): Promise<FakeServer> {
  const host = options.host ?? '127.0.0.1';
  const apiServer = createServer(serve(handle, 'api'));
  const workServer = createServer(serve(handle, 'work'));
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const apiPort = await start(apiServer, options.port ?? 0, host);
  let workPort: number;
  try {
    workPort = await start(workServer, options.workPort ?? 0, host);
  } catch (error) {
    await stop(apiServer);
    throw error;
  }
  const api = `http://${urlHost}:${apiPort}`;
  const work = `http://${urlHost}:${workPort}`;
  onOrigin(api, 'api', true);
  onOrigin(work, 'work', true);
  let closing: Promise<void> | undefined;
  return {
    api,
    work,
    close: () => {
      closing ??= Promise.all([stop(apiServer), stop(workServer)]).then(() => {
        onOrigin(api, 'api', false);
        onOrigin(work, 'work', false);
      });
      return closing;
    },
  };
}
