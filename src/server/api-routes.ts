/**
 * The JSON API: the list and detail views, the control routes (bearer token; they call the
 * refresher's facade), the chart of the client machine and the live feed (WebSocket).
 */

import type { WebSocket } from '@fastify/websocket';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { clientMachine } from '../../machines/client.js';
import { ConfigError, StoppedError } from '../errors.js';
import type { Refresher } from '../refresher.js';
import { requireBearer } from './auth.js';
import { machineChart } from './chart.js';
import type { FeedSocket, LiveFeed } from './live-feed.js';
import { sameOrigin } from './same-origin.js';
import {
  entryView,
  findEntry,
  HEALTH_ORDER,
  type Health,
  type ListQuery,
  listEntries,
  type SortOrder,
} from './views.js';

export interface ApiRouteOptions {
  refresher: Refresher;
  token: string;
  feed: LiveFeed;
}

const SORTS: readonly SortOrder[] = ['attention', 'appid', 'expiry', 'added'];
const CONTROL_ACTIONS = ['refresh', 'pause', 'resume'] as const;
type ControlAction = (typeof CONTROL_ACTIONS)[number];

class BadQuery extends Error {}

function list(value: unknown): string[] | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  return value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
}

function int(value: unknown, field: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new BadQuery(`${field} must be a non-negative integer`);
  return n;
}

/** Parses the list query string. @throws BadQuery naming the parameter. */
export function parseListQuery(raw: Record<string, unknown>): ListQuery {
  const health = list(raw.health);
  if (health?.some((h) => !HEALTH_ORDER.includes(h as Health)))
    throw new BadQuery(`health must be among ${HEALTH_ORDER.join(', ')}`);
  const sort = raw.sort === undefined ? undefined : String(raw.sort);
  if (sort !== undefined && !SORTS.includes(sort as SortOrder))
    throw new BadQuery(`sort must be one of ${SORTS.join(', ')}`);
  const machine = raw.machine === undefined ? undefined : String(raw.machine);
  if (machine !== undefined && machine !== 'client' && machine !== 'component')
    throw new BadQuery('machine must be client or component');
  return {
    q: typeof raw.q === 'string' ? raw.q : undefined,
    health: health as Health[] | undefined,
    state: list(raw.state),
    machine: machine as ListQuery['machine'],
    kind: typeof raw.kind === 'string' && raw.kind !== '' ? raw.kind : undefined,
    sort: sort as SortOrder | undefined,
    offset: int(raw.offset, 'offset'),
    limit: int(raw.limit, 'limit'),
  };
}

/** Maps a facade failure to an HTTP answer; messages from the core carry no secret. */
function failure(reply: FastifyReply, error: unknown): FastifyReply {
  if (error instanceof StoppedError)
    return reply.code(503).send({ error: 'stopped', message: error.message });
  if (error instanceof ConfigError)
    return reply.code(400).send({ error: 'bad_request', message: error.message });
  const message = error instanceof Error ? error.message : String(error);
  return reply.code(500).send({ error: 'internal', message });
}

async function runControl(
  refresher: Refresher,
  action: ControlAction,
  appid: string,
  body: unknown,
): Promise<'ok' | 'not_found'> {
  const entry = findEntry(refresher, appid);
  if (!entry) return 'not_found';
  if (action === 'pause') return refresher.pause(appid);
  if (action === 'resume') return refresher.resume(appid);
  const { storeId, storeKey } = (typeof body === 'object' && body !== null ? body : {}) as Record<
    string,
    unknown
  >;
  if (entry.machine === 'component') {
    return refresher.refreshComponent(
      appid,
      typeof storeKey === 'string' ? storeKey : 'component_access_token',
    );
  }
  if (typeof storeId === 'string' && typeof storeKey === 'string')
    return refresher.refresh(appid, storeId, storeKey);
  return refresher.refresh(appid);
}

/** Registers the API routes on `app` (under whatever prefix it has). */
export async function apiRoutes(app: FastifyInstance, options: ApiRouteOptions): Promise<void> {
  const { refresher, token, feed } = options;
  const auth = requireBearer(token);
  const chart = machineChart(clientMachine);

  app.get('/api/clients', async (request, reply) => {
    try {
      return listEntries(refresher, parseListQuery(request.query as Record<string, unknown>));
    } catch (error) {
      if (error instanceof BadQuery)
        return reply.code(400).send({ error: 'bad_request', message: error.message });
      throw error;
    }
  });

  app.get<{ Params: { appid: string } }>('/api/clients/:appid', async (request, reply) => {
    const entry = findEntry(refresher, request.params.appid);
    if (!entry) return reply.code(404).send({ error: 'not_found', appid: request.params.appid });
    const nowMs = refresher._runtime.clock.now();
    return { nowMs, client: entryView(entry, nowMs), options: refresher.clientOptions(entry.id) ?? null };
  });

  for (const action of CONTROL_ACTIONS) {
    app.post<{ Params: { appid: string } }>(
      `/api/clients/:appid/${action}`,
      { onRequest: auth },
      async (request, reply) => {
        const { appid } = request.params;
        try {
          const result = await runControl(refresher, action, appid, request.body);
          if (result === 'not_found') return reply.code(404).send({ error: 'not_found', appid });
          const entry = findEntry(refresher, appid);
          const nowMs = refresher._runtime.clock.now();
          return { result, nowMs, client: entry ? entryView(entry, nowMs) : null };
        } catch (error) {
          return failure(reply, error);
        }
      },
    );
  }

  app.post('/api/start-monitor', { onRequest: auth }, async (_request, reply) => {
    try {
      return { result: await refresher.startMonitor() };
    } catch (error) {
      return failure(reply, error);
    }
  });

  app.get('/api/chart', async () => chart);

  app.get('/api/live', { websocket: true }, (socket: WebSocket, request) => {
    // Another site's page may open a WebSocket here; only our own page gets the feed.
    if (!sameOrigin(request)) {
      socket.close(1008, 'origin not allowed');
      return;
    }
    feed.attach(socket as unknown as FeedSocket);
  });
}
