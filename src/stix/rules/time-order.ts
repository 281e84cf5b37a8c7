// Ordering rules between two timestamps of one object (STIX 2.1 §3.2, §4, §5, §6.12).
import { pointer } from '../issues.js';
import { versionKeyOf } from '../timestamp.js';
import type { RuleContext } from './context.js';

interface TimeOrder {
  /** Object types the rule applies to; '*' = every type that has both properties. */
  types: readonly string[] | '*';
  earlier: string;
  later: string;
  /** true: later MUST be strictly greater; false: greater or equal. */
  strict: boolean;
  code: string;
}

const ORDERS: readonly TimeOrder[] = [
  // §3.2 modified: "MUST be later than or equal to the value of the created property".
  {
    types: '*',
    earlier: 'created',
    later: 'modified',
    strict: false,
    code: 'modified-before-created',
  },
  // §4.2, §4.8, §4.9, §4.11, §4.17, §5.2: last_seen MUST be >= first_seen.
  {
    types: ['campaign', 'infrastructure', 'intrusion-set', 'malware', 'threat-actor', 'sighting'],
    earlier: 'first_seen',
    later: 'last_seen',
    strict: false,
    code: 'last-seen-before-first-seen',
  },
  // §4.7 indicator: "valid_until MUST be greater than valid_from".
  {
    types: ['indicator'],
    earlier: 'valid_from',
    later: 'valid_until',
    strict: true,
    code: 'valid-until-not-after-valid-from',
  },
  // §4.14 observed-data: last_observed MUST be >= first_observed.
  {
    types: ['observed-data'],
    earlier: 'first_observed',
    later: 'last_observed',
    strict: false,
    code: 'last-observed-before-first-observed',
  },
  // §5.1 relationship: "stop_time MUST be later than the start_time".
  {
    types: ['relationship'],
    earlier: 'start_time',
    later: 'stop_time',
    strict: true,
    code: 'stop-time-not-after-start-time',
  },
  // §6.12 network-traffic: end MUST be >= start.
  {
    types: ['network-traffic'],
    earlier: 'start',
    later: 'end',
    strict: false,
    code: 'end-before-start',
  },
  // §4.12 malware-analysis: the analysis cannot end before it started.
  {
    types: ['malware-analysis'],
    earlier: 'analysis_started',
    later: 'analysis_ended',
    strict: false,
    code: 'analysis-ended-before-started',
  },
];

const BY_TYPE = new Map<string, readonly TimeOrder[]>();

function ordersOf(type: string): readonly TimeOrder[] {
  let orders = BY_TYPE.get(type);
  if (orders === undefined) {
    orders = ORDERS.filter((o) => o.types === '*' || o.types.includes(type));
    BY_TYPE.set(type, orders);
  }
  return orders;
}

export function checkTimeOrder(ctx: RuleContext): void {
  for (const order of ordersOf(ctx.type)) {
    const a = ctx.object[order.earlier];
    const b = ctx.object[order.later];
    if (typeof a !== 'string' || typeof b !== 'string') continue;
    // The same text is the same instant (created = modified, the common case): no parsing
    // unless the order is strict, and then only to know whether it is a timestamp at all.
    if (a === b && !order.strict) continue;
    // Fixed-width keys compare exactly, in every year (doubles round 1 µs apart after 2255).
    const ta = versionKeyOf(a);
    const tb = a === b ? ta : versionKeyOf(b);
    if (ta === undefined || tb === undefined) continue; // the schema reports bad timestamps
    if (order.strict ? tb <= ta : tb < ta) {
      ctx.issues.error(
        order.code,
        pointer(order.later),
        `property ${order.later}: must be ${order.strict ? 'later than' : 'later than or equal to'} ${order.earlier}`,
      );
    }
  }
}
