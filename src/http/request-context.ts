// Per-request state shared by the middleware and the routes (and the admin routes):
// the request id, a child logger and, once authenticated, the Principal.
import type { Response } from 'express';
import type { Logger } from 'pino';
import type { Principal } from '../auth/principal.js';
import { InternalError } from '../errors.js';

export interface RequestState {
  reqId: string;
  log: Logger;
  /** The client's address (client-address.ts: the peer, or what a trusted proxy forwarded). */
  client: string;
  principal?: Principal;
}

export function requestState(res: Response): RequestState {
  const state = (res.locals as { stixgate?: RequestState }).stixgate;
  if (!state) throw new InternalError('request state missing');
  return state;
}

export function setRequestState(res: Response, state: RequestState): void {
  (res.locals as { stixgate?: RequestState }).stixgate = state;
}

/** The authenticated caller; only valid behind the authenticate middleware. */
export function principalOf(res: Response): Principal {
  const principal = requestState(res).principal;
  if (!principal) throw new InternalError('route reached without authentication');
  return principal;
}
