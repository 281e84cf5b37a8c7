// R11 Sightings and observations: `count`/`number_observed` bucketed down to the policy's
// bounds; first/last seen and observed truncated to the policy's precision (default: the
// day). `where_sighted_refs` become pseudonymous identities through R4/R10.
import { formatTaxiiTimestamp, parseStixTimestamp } from '../../stix/timestamp.js';
import type { TimePrecision } from '../policy.js';
import { Withhold, type Env, type Work } from '../work.js';

const US_PER_SECOND = 1_000_000;
const STEP: Record<'second' | 'minute' | 'hour' | 'day', number> = {
  second: US_PER_SECOND,
  minute: 60 * US_PER_SECOND,
  hour: 3600 * US_PER_SECOND,
  day: 86_400 * US_PER_SECOND,
};

/** Truncates a STIX timestamp; keeps the input's millisecond form when it had one. */
export function truncateTimestamp(value: string, precision: TimePrecision): string | undefined {
  const micros = parseStixTimestamp(value);
  if (micros === undefined) return undefined;
  let truncated: number;
  if (precision === 'month' || precision === 'year') {
    const iso = formatTaxiiTimestamp(micros);
    const start =
      precision === 'month'
        ? `${iso.slice(0, 7)}-01T00:00:00Z`
        : `${iso.slice(0, 4)}-01-01T00:00:00Z`;
    truncated = parseStixTimestamp(start)!;
  } else {
    const step = STEP[precision];
    truncated = Math.floor(micros / step) * step;
  }
  // STIX 2.1 §3.2: millisecond precision is the common form; keep at most what was given.
  return `${formatTaxiiTimestamp(truncated).slice(0, 19)}.000Z`;
}

/** The greatest bucket bound not above `value` (0 stays 0). */
export function bucketCount(value: number, buckets: readonly number[]): number {
  if (value <= 0) return value;
  let result = 1;
  for (const b of buckets) if (b <= value && b > result) result = b;
  return result;
}

const TIME_FIELDS: Record<string, string[]> = {
  sighting: ['first_seen', 'last_seen'],
  'observed-data': ['first_observed', 'last_observed'],
};

const COUNT_FIELDS: Record<string, string> = {
  sighting: 'count',
  'observed-data': 'number_observed',
};

export function applySightings(work: Work, env: Env): void {
  for (const field of TIME_FIELDS[work.type] ?? []) {
    const value = work.obj[field];
    if (value === undefined) continue;
    const truncated =
      typeof value === 'string' ? truncateTimestamp(value, env.policy.timePrecision) : undefined;
    if (truncated === undefined) throw new Withhold('R11', `malformed ${field}`);
    if (truncated !== value) {
      work.obj[field] = truncated;
      work.hit('R11', field, 'G');
    }
  }
  const countField = COUNT_FIELDS[work.type];
  if (countField !== undefined && work.obj[countField] !== undefined) {
    const value = work.obj[countField];
    if (typeof value !== 'number' || !Number.isInteger(value))
      throw new Withhold('R11', `malformed ${countField}`);
    const bucketed = bucketCount(value, env.policy.countBuckets);
    if (bucketed !== value) {
      work.obj[countField] = bucketed;
      work.hit('R11', countField, 'G');
    }
  }
}
