// Per-audience keys (R4): HKDF-SHA256 from the master secret, info = group id ‖ epoch. A new
// epoch (or another group) gives unrelated pseudonyms. Pure: the master secret is an argument.
import { hkdfSync } from 'node:crypto';

/** The secret material of one audience; pass it to `derive`. */
export interface AudienceKey {
  /** Which audience this key is for (group ids joined by `+`), for cache keys and audit. */
  readonly audienceId: string;
  readonly epoch: string;
  readonly key: Buffer;
}

export const MIN_MASTER_SECRET_BYTES = 32;
const SALT = Buffer.from('stixgate/sharing/v1', 'utf8');

/**
 * The key of one group at one epoch. The info string separates the fields with NUL so that
 * (`ab`, 1) and (`a`, `b1`) can never collide.
 */
export function deriveGroupKey(master: Uint8Array, groupId: string, epoch: number): AudienceKey {
  return deriveAudienceKey(master, [{ groupId, epoch }]);
}

/**
 * The key of an audience made of one or more groups (R1: a principal in several groups reads
 * as the strictest combination, with its own pseudonyms). Group order does not matter.
 */
export function deriveAudienceKey(
  master: Uint8Array,
  members: readonly { groupId: string; epoch: number }[],
): AudienceKey {
  if (master.length < MIN_MASTER_SECRET_BYTES) {
    throw new RangeError(`master secret must be at least ${MIN_MASTER_SECRET_BYTES} bytes`);
  }
  if (members.length === 0) throw new RangeError('an audience has at least one group');
  const sorted = [...members].sort((a, b) =>
    a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0,
  );
  const info = sorted.map((m) => `${m.groupId}\u0000${m.epoch}`).join('\u0001');
  const key = Buffer.from(hkdfSync('sha256', master, SALT, Buffer.from(info, 'utf8'), 32));
  return {
    audienceId: sorted.map((m) => m.groupId).join('+'),
    epoch: sorted.map((m) => String(m.epoch)).join('+'),
    key,
  };
}
