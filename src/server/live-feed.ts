/**
 * The live feed: the refresher's events, batched. Each connected dashboard says which appids it
 * shows (`{"type":"watch","appids":[...]}`); every `intervalMs` it gets one `update` message with
 * the fresh views of the watched clients that changed, the summary, whether the list itself
 * changed, and the latest notable events. So 10,000 clients refreshing at once cost each browser a
 * page of views per tick, not 10,000 messages.
 */
import type { Refresher } from '../refresher.js';
import { allEntries, type ClientView, entryView, findEntry, type Summary, summarize } from './views.js';

/** The part of a WebSocket the feed uses (ws's WebSocket fits). */
export interface FeedSocket {
  readonly readyState: number;
  send(data: string): void;
  on(event: 'message', listener: (data: unknown) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
}

/** A notable event as the feed carries it: no secret, no token value. */
export interface FeedEvent {
  atMs: number;
  type: 'refreshed' | 'refresh_failed' | 'client_added' | 'client_removed' | 'store_error' | 'error';
  appid?: string;
  storeId?: string;
  storeKey?: string;
  message?: string;
  expiresAtSec?: number;
  source?: string;
}

/** Server → browser. */
export type FeedMessage =
  | { type: 'hello'; nowMs: number; summary: Summary }
  | {
      type: 'update';
      nowMs: number;
      summary: Summary;
      /** Fresh views of watched clients that changed. */
      clients: ClientView[];
      /** Watched appids that are gone. */
      removed: string[];
      /** Clients were added or removed: a list page may be stale. */
      listChanged: boolean;
      /** Changed entries in all (watched or not). */
      changed: number;
      events: FeedEvent[];
    };

/** The most events one update carries (the latest win). */
export const MAX_FEED_EVENTS = 50;
/** The most appids one connection may watch. */
export const MAX_WATCHED = 1000;
/** The largest message a feed client may send (a watch list of 1,000 appids fits easily). */
export const MAX_FEED_MESSAGE_BYTES = 64 * 1024;
const OPEN = 1;

interface Subscriber {
  socket: FeedSocket;
  watched: Set<string>;
}

export class LiveFeed {
  readonly #refresher: Refresher;
  readonly #subscribers = new Set<Subscriber>();
  readonly #dirty = new Set<string>();
  #events: FeedEvent[] = [];
  #listChanged = false;
  readonly #timer: NodeJS.Timeout;
  readonly #offs: Array<() => void>;

  constructor(refresher: Refresher, intervalMs: number) {
    this.#refresher = refresher;
    const now = () => refresher._runtime.clock.now();
    const note = (event: FeedEvent) => {
      this.#events.push(event);
      if (this.#events.length > MAX_FEED_EVENTS * 2) this.#events = this.#events.slice(-MAX_FEED_EVENTS);
    };
    const on = refresher.on.bind(refresher);
    this.#offs = [
      on('state', (e) => this.#dirty.add(e.appid)),
      on('refreshed', (e) => {
        this.#dirty.add(e.appid);
        // A component's refresh changes what its authorizers show: nothing, but its own row.
        note({
          atMs: now(),
          type: 'refreshed',
          appid: e.appid,
          storeId: e.storeId,
          storeKey: e.storeKey,
          expiresAtSec: e.expiresAtSec,
          source: e.source,
        });
      }),
      on('refresh_failed', (e) => {
        this.#dirty.add(e.appid);
        note({
          atMs: now(),
          type: 'refresh_failed',
          appid: e.appid,
          storeId: e.storeId,
          storeKey: e.storeKey,
          message: e.error.message,
        });
      }),
      on('client_added', (e) => {
        this.#dirty.add(e.appid);
        this.#listChanged = true;
        note({ atMs: now(), type: 'client_added', appid: e.appid });
      }),
      on('client_removed', (e) => {
        this.#dirty.add(e.appid);
        this.#listChanged = true;
        note({ atMs: now(), type: 'client_removed', appid: e.appid });
      }),
      on('store_error', (e) =>
        note({
          atMs: now(),
          type: 'store_error',
          storeId: e.storeId,
          storeKey: e.storeKey,
          message: e.message,
        }),
      ),
    ];
    this.#timer = setInterval(() => this.flush(), intervalMs);
    this.#timer.unref();
  }

  /** Number of connected sockets. */
  get size(): number {
    return this.#subscribers.size;
  }

  /** Serves a newly connected socket: a hello now, updates on each tick. */
  attach(socket: FeedSocket): void {
    const sub: Subscriber = { socket, watched: new Set() };
    this.#subscribers.add(sub);
    socket.on('message', (data) => {
      try {
        const msg = JSON.parse(String(data)) as { type?: unknown; appids?: unknown };
        if (msg.type === 'watch' && Array.isArray(msg.appids)) {
          sub.watched = new Set(
            msg.appids.slice(0, MAX_WATCHED).filter((a): a is string => typeof a === 'string'),
          );
        }
      } catch {
        // A malformed message changes nothing.
      }
    });
    socket.on('close', () => this.#subscribers.delete(sub));
    this.#send(sub, { type: 'hello', nowMs: this.#refresher._runtime.clock.now(), summary: this.#summary() });
  }

  #summary(): Summary {
    const nowMs = this.#refresher._runtime.clock.now();
    return summarize(allEntries(this.#refresher).map((e) => entryView(e, nowMs)));
  }

  #send(sub: Subscriber, message: FeedMessage): void {
    if (sub.socket.readyState !== OPEN) return;
    try {
      sub.socket.send(JSON.stringify(message));
    } catch {
      this.#subscribers.delete(sub);
    }
  }

  /** Sends what changed since the last tick (a no-op when nothing did or nobody listens). */
  flush(): void {
    if (this.#dirty.size === 0 && this.#events.length === 0) return;
    const dirty = [...this.#dirty];
    const events = this.#events.slice(-MAX_FEED_EVENTS);
    const listChanged = this.#listChanged;
    this.#dirty.clear();
    this.#events = [];
    this.#listChanged = false;
    if (this.#subscribers.size === 0) return;
    const nowMs = this.#refresher._runtime.clock.now();
    const summary = this.#summary();
    const views = new Map<string, ClientView | null>();
    const viewOf = (appid: string) => {
      if (!views.has(appid)) {
        const entry = findEntry(this.#refresher, appid);
        views.set(appid, entry ? entryView(entry, nowMs) : null);
      }
      return views.get(appid)!;
    };
    for (const sub of this.#subscribers) {
      const clients: ClientView[] = [];
      const removed: string[] = [];
      for (const appid of dirty) {
        if (!sub.watched.has(appid)) continue;
        const view = viewOf(appid);
        if (view) clients.push(view);
        else removed.push(appid);
      }
      this.#send(sub, {
        type: 'update',
        nowMs,
        summary,
        clients,
        removed,
        listChanged,
        changed: dirty.length,
        events,
      });
    }
  }

  /** Unsubscribes from the refresher and stops the timer. */
  close(): void {
    clearInterval(this.#timer);
    for (const off of this.#offs) off();
    this.#subscribers.clear();
  }
}
