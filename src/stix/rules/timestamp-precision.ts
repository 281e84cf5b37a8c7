// STIX 2.1 §3.2: `created` and `modified` "MUST be precise to the nearest millisecond" — at
// least three fractional digits. Hand-written JSON and some exporters drop the fraction, so
// this is an error in strict mode and a warning in permissive mode.
import { pointer } from '../issues.js';
import { isStixTimestamp } from '../timestamp.js';
import type { RuleContext } from './context.js';

const MILLIS = /\.\d{3,}Z$/;

export function checkTimestampPrecision(ctx: RuleContext): void {
  for (const key of ['created', 'modified'] as const) {
    const value = ctx.object[key];
    if (typeof value !== 'string' || MILLIS.test(value) || !isStixTimestamp(value)) continue; // bad ones: the schema
    ctx.issues.strictError(
      ctx.mode,
      'timestamp-precision',
      pointer(key),
      `property ${key}: must be precise to the millisecond (at least three fractional digits)`,
    );
  }
}
