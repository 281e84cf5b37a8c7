// The sharing state one partner request runs on (model, prepared registry, master secret,
// audience keys), swapped as a whole by a reload, and R1: the audience of a principal's groups
// (several → the strictest combination under a key of its own, as r01-audience.ts decides).
import type { AudienceKey } from '../sharing/keys.js';
import type { SharingModel } from '../sharing/policy.js';
import { audienceKey, resolveAudience, type Audience } from '../sharing/rules/r01-audience.js';
import { prepareRegistry, type PreparedRegistry } from '../sharing/toolkit.js';

/** Everything a partner read depends on, swapped as a whole by a reload. */
export interface SharingState {
  readonly model: SharingModel;
  readonly prepared: PreparedRegistry;
  /** Absent → partners are served nothing (fail closed). */
  readonly master: Buffer | undefined;
  readonly keys: Map<string, AudienceKey>;
  /**
   * Distinct for every state built in this process: part of cache keys, so that an entry a
   * request still running on the previous state stores after a reload can never be served
   * under the new one (even when the operator changed the registry without its revision).
   */
  readonly generation: number;
}

let generations = 0;

export function createSharingState(model: SharingModel, master: Buffer | undefined): SharingState {
  generations += 1;
  return {
    model,
    prepared: prepareRegistry(model.registry),
    master,
    keys: new Map(),
    generation: generations,
  };
}

export interface ResolvedAudience {
  audience: Audience;
  key: AudienceKey;
}

/** R1: the audience of a principal's groups (or of one group, `requested`); undefined → nothing served. */
export function audienceOf(
  state: SharingState,
  groups: readonly string[],
  requested?: string,
): ResolvedAudience | undefined {
  const audience = resolveAudience(state.model, groups, requested);
  if (audience === undefined || state.master === undefined) return undefined;
  const id = audience.members.map((m) => `${m.groupId}\u0000${m.keyEpoch}`).join('\u0001');
  let key = state.keys.get(id);
  if (key === undefined) {
    key = audienceKey(state.master, audience);
    state.keys.set(id, key);
  }
  return { audience, key };
}
