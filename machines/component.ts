/**
 * The component (third-party platform) machine: one per component appid, owning the
 * component_access_token that all its authorizers share (seed §5.5; Q3 fixed: it is not owned by
 * whichever authorizer came first, so removing one authorizer never stops the refresh).
 *
 * Its life cycle is the credential machine's. The verify ticket it needs arrives by push
 * (putComponentVerifyTicket); a push while `retrying` sends DEPENDENCY_READY so it tries at once.
 */
import { createCredentialMachine } from './client.js';

export type {
  ClientContext as ComponentContext,
  ClientEvent as ComponentEvent,
  ClientInput as ComponentInput,
} from './client.js';

export const componentMachine = createCredentialMachine('component');
export type ComponentMachine = typeof componentMachine;
