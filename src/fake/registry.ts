/**
 * Who the fake knows: apps with their secrets, components with their authorizations, WeCom corps
 * with their agents. Changeable at any time through the fake's control surface.
 */
import { ConfigError } from '../errors.js';
import type { FakeAppConfig, FakeComponentConfig, FakeCorpConfig } from './options.js';

/** An account that holds a secret (app or component). */
export interface SecretHolder {
  readonly appid: string;
  secret: string;
  /** A frozen AppSecret answers 40243 [MP-SVC-GUIDE]. */
  frozen: boolean;
  ipWhitelist?: ReadonlySet<string>;
}

/** An Official Account or Mini Program. */
export interface AppEntry extends SecretHolder {
  testAccount: boolean;
}

/** One (component, authorizer) authorization. */
export interface AuthorizationEntry {
  refreshToken: string;
  revoked: boolean;
}

/** A third-party platform. */
export interface ComponentEntry extends SecretHolder {
  readonly authorizations: Map<string, AuthorizationEntry>;
}

/** A WeCom agent. */
export interface AgentEntry {
  readonly id: string;
  secret: string;
}

/** A WeCom corp. */
export interface CorpEntry {
  readonly corpid: string;
  readonly agents: Map<string, AgentEntry>;
  ipWhitelist?: ReadonlySet<string>;
}

/** What `rotateSecret` may target: an app or component appid, or a WeCom agent. */
export type SecretTarget = string | { corpid: string; agentId: number | string };

function nonEmpty(value: unknown, appid: string | undefined, field: string): string {
  if (typeof value !== 'string' || value === '')
    throw new ConfigError(appid, field, 'must be a non-empty string');
  return value;
}

function whitelist(ips: string[] | undefined): ReadonlySet<string> | undefined {
  return ips === undefined ? undefined : new Set(ips);
}

/** The fake's registry of accounts. */
export class FakeRegistry {
  readonly apps = new Map<string, AppEntry>();
  readonly components = new Map<string, ComponentEntry>();
  readonly corps = new Map<string, CorpEntry>();

  /** Adds an app, or replaces the secret and flags of a known one. */
  addApp(config: FakeAppConfig): AppEntry {
    const appid = nonEmpty(config?.appid, undefined, 'appid');
    const secret = nonEmpty(config.secret, appid, 'secret');
    if (this.components.has(appid))
      throw new ConfigError(appid, 'appid', 'is already registered as a component');
    const entry: AppEntry = {
      appid,
      secret,
      frozen: false,
      testAccount: config.testAccount === true,
      ipWhitelist: whitelist(config.ipWhitelist),
    };
    this.apps.set(appid, entry);
    return entry;
  }

  /** Adds a component, or updates a known one; its authorizers are added to the known ones. */
  addComponent(config: FakeComponentConfig): ComponentEntry {
    const appid = nonEmpty(config?.appid, undefined, 'appid');
    const secret = nonEmpty(config.secret, appid, 'secret');
    if (this.apps.has(appid)) throw new ConfigError(appid, 'appid', 'is already registered as an app');
    const entry: ComponentEntry = this.components.get(appid) ?? {
      appid,
      secret,
      frozen: false,
      authorizations: new Map(),
    };
    entry.secret = secret;
    entry.ipWhitelist = whitelist(config.ipWhitelist);
    this.components.set(appid, entry);
    for (const authorizer of config.authorizers ?? []) this.authorize(appid, authorizer);
    return entry;
  }

  /** Records (or renews) an authorization; a re-authorization clears a revocation. */
  authorize(componentAppid: string, authorizer: { appid: string; refreshToken: string }): void {
    const component = this.component(componentAppid);
    const appid = nonEmpty(authorizer?.appid, componentAppid, 'authorizers[].appid');
    const refreshToken = nonEmpty(authorizer.refreshToken, componentAppid, 'authorizers[].refreshToken');
    component.authorizations.set(appid, { refreshToken, revoked: false });
  }

  /** Adds a corp, or adds and updates agents of a known one. */
  addCorp(config: FakeCorpConfig): CorpEntry {
    const corpid = nonEmpty(config?.corpid, undefined, 'corpid');
    if (!Array.isArray(config.agents)) throw new ConfigError(corpid, 'agents', 'must be an array');
    const entry: CorpEntry = this.corps.get(corpid) ?? { corpid, agents: new Map() };
    entry.ipWhitelist = whitelist(config.ipWhitelist);
    config.agents.forEach((agent, i) => {
      if (typeof agent?.id !== 'number' && (typeof agent?.id !== 'string' || agent.id === '')) {
        throw new ConfigError(corpid, `agents[${i}].id`, 'must be a number or a non-empty string');
      }
      const secret = nonEmpty(agent.secret, corpid, `agents[${i}].secret`);
      entry.agents.set(String(agent.id), { id: String(agent.id), secret });
    });
    this.corps.set(corpid, entry);
    return entry;
  }

  /** The component, or a ConfigError naming it. */
  component(componentAppid: string): ComponentEntry {
    const component = this.components.get(componentAppid);
    if (component === undefined)
      throw new ConfigError(componentAppid, 'componentAppid', 'is not a registered component');
    return component;
  }

  /** Replaces a secret: the old one answers 40001/40125 from now on; issued tokens live on. */
  rotateSecret(target: SecretTarget, newSecret: string): void {
    if (typeof target === 'string') {
      const holder = this.holder(target);
      holder.secret = nonEmpty(newSecret, target, 'secret');
      return;
    }
    const agent = this.corps.get(target.corpid)?.agents.get(String(target.agentId));
    if (agent === undefined) {
      throw new ConfigError(target.corpid, `agents[${target.agentId}]`, 'is not a registered agent');
    }
    agent.secret = nonEmpty(newSecret, target.corpid, 'secret');
  }

  /** The app or component with this appid, or a ConfigError. */
  holder(appid: string): SecretHolder {
    const holder = this.apps.get(appid) ?? this.components.get(appid);
    if (holder === undefined) throw new ConfigError(appid, 'appid', 'is not registered in the fake');
    return holder;
  }

  /** The corp and agent whose secret this is, searching every corp (for 40091). */
  findAgentBySecret(secret: string): { corp: CorpEntry; agent: AgentEntry } | undefined {
    for (const corp of this.corps.values()) {
      for (const agent of corp.agents.values()) if (agent.secret === secret) return { corp, agent };
    }
    return undefined;
  }
}
