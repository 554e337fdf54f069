/**
 * Fault injection (spec/wechat-api.md §7.5): rules matched per call by host, path and appid, firing
 * for the next N matching calls and/or a seeded fraction of them, so a seed replays the same faults.
 */
import { ConfigError } from '../errors.js';
import type { MalformedVariant } from './envelope.js';
import type { Rng } from './rng.js';
import { randomNormal } from './rng.js';

/** What a fault does to a call. */
export type FaultEffect =
  /** HTTP 200 `{"errcode":-1,"errmsg":"system error rid: ..."}`; the call is not served. */
  | { type: 'busy' }
  /** HTTP 200 with this errcode (errmsg: WeChat's text unless given); `asString` sends `"40001"`. */
  | { type: 'errcode'; errcode: number; errmsg?: string; asString?: boolean }
  /** A proxy error page: this status (400-599) and an HTML body; the call is not served. */
  | { type: 'http'; status: number }
  /** No answer until the caller aborts; with `ms`, the normal answer after `ms` on the clock. */
  | { type: 'hang'; ms?: number }
  /** The connection is reset: fetch rejects with TypeError('fetch failed'); the call is not served. */
  | { type: 'reset' }
  /** The call is served, then its body is corrupted (default variant: truncated). */
  | { type: 'malformed'; variant?: MalformedVariant }
  /**
   * Waits before answering, on the clock: `ms` fixed, or drawn around it: `uniform` in
   * [ms/2, 3ms/2], `lognormal` with median `ms` and `sigma` (default 0.5). Adds to other faults.
   */
  | { type: 'latency'; ms: number; jitter?: 'none' | 'uniform' | 'lognormal'; sigma?: number };

/** A fault rule. Without `times` and `probability` it fires on every matching call until removed. */
export interface FaultRule {
  /** The path it applies to (`/cgi-bin/token`), or `*`. @default '*' */
  path?: string;
  /** The host family it applies to. @default both */
  host?: 'api' | 'work';
  /** Only calls naming this appid, component appid, authorizer appid or corpid (directly or through their token). */
  appid?: string;
  /** Fire for the next N matching calls (of those the probability lets through), then retire. */
  times?: number;
  /** Fire for this fraction of matching calls, drawn from the seeded RNG. */
  probability?: number;
  effect: FaultEffect;
}

/** A live rule. */
export interface FaultHandle {
  /** Removes the rule; calls after this are not affected by it. */
  remove(): void;
  /** How many calls it has fired on. */
  readonly fired: number;
  /** False once removed or its `times` are used up. */
  readonly active: boolean;
}

/** A call as fault matching sees it. */
export interface FaultTarget {
  host: 'api' | 'work';
  path: string;
  appids: readonly string[];
}

/** What the faults decided for one call. */
export interface FaultDecision {
  /** Total latency to wait before answering. */
  delayMs: number;
  /** The first firing effect other than latency, if any. */
  effect?: Exclude<FaultEffect, { type: 'latency' }>;
}

interface LiveRule {
  rule: FaultRule;
  remaining: number;
  fired: number;
  active: boolean;
}

function validate(rule: FaultRule): void {
  const fail = (field: string, problem: string): never => {
    throw new ConfigError(undefined, `fault.${field}`, problem);
  };
  if (rule === null || typeof rule !== 'object' || typeof rule.effect?.type !== 'string') {
    fail('effect', 'must be an object with a type');
  }
  const { times, probability, effect } = rule;
  if (times !== undefined && (!Number.isInteger(times) || times < 1))
    fail('times', 'must be an integer >= 1');
  if (probability !== undefined && !(probability >= 0 && probability <= 1))
    fail('probability', 'must be in [0, 1]');
  if (
    effect.type === 'http' &&
    !(Number.isInteger(effect.status) && effect.status >= 400 && effect.status <= 599)
  ) {
    fail('effect.status', 'must be an HTTP status in 400-599');
  }
  if (effect.type === 'errcode' && !Number.isInteger(effect.errcode))
    fail('effect.errcode', 'must be an integer');
  if (effect.type === 'latency' && !(effect.ms >= 0)) fail('effect.ms', 'must be a number >= 0');
  if (effect.type === 'hang' && effect.ms !== undefined && !(effect.ms >= 0))
    fail('effect.ms', 'must be >= 0');
}

/** The fake's fault rules, in the order they were added. */
export class FaultSet {
  private rules: LiveRule[] = [];

  constructor(private readonly rng: Rng) {}

  /** Adds a rule. @throws ConfigError on a malformed rule. */
  add(rule: FaultRule): FaultHandle {
    validate(rule);
    const live: LiveRule = {
      rule: { ...rule },
      remaining: rule.times ?? Number.POSITIVE_INFINITY,
      fired: 0,
      active: true,
    };
    this.rules.push(live);
    return {
      remove: () => this.retire(live),
      get fired() {
        return live.fired;
      },
      get active() {
        return live.active;
      },
    };
  }

  /** Removes every rule. */
  clear(): void {
    for (const live of this.rules) live.active = false;
    this.rules = [];
  }

  /**
   * Decides the faults of one call. Latency rules add up; the first other rule that fires wins and
   * later ones are not consulted (they keep their `times`). Draws happen in rule order, so a seed
   * and a call sequence always give the same decisions.
   */
  decide(target: FaultTarget): FaultDecision {
    const decision: FaultDecision = { delayMs: 0 };
    for (const live of [...this.rules]) {
      const { rule } = live;
      if (rule.effect.type !== 'latency' && decision.effect !== undefined) continue;
      if (!this.matches(rule, target)) continue;
      if (rule.probability !== undefined && !(this.rng.next() < rule.probability)) continue;
      live.fired += 1;
      live.remaining -= 1;
      if (live.remaining <= 0) this.retire(live);
      if (rule.effect.type === 'latency') decision.delayMs += this.latency(rule.effect);
      else decision.effect = rule.effect;
    }
    return decision;
  }

  private matches(rule: FaultRule, target: FaultTarget): boolean {
    if (rule.host !== undefined && rule.host !== target.host) return false;
    if (rule.path !== undefined && rule.path !== '*' && rule.path !== target.path) return false;
    return rule.appid === undefined || target.appids.includes(rule.appid);
  }

  private latency(effect: Extract<FaultEffect, { type: 'latency' }>): number {
    if (effect.jitter === 'uniform') return effect.ms * (0.5 + this.rng.next());
    if (effect.jitter === 'lognormal')
      return effect.ms * Math.exp((effect.sigma ?? 0.5) * randomNormal(this.rng));
    return effect.ms;
  }

  private retire(live: LiveRule): void {
    live.active = false;
    this.rules = this.rules.filter((other) => other !== live);
  }
}
