// Partner deliveries and withheld objects over time, from audit records: each partner read
// record counts the objects it served and the objects it withheld, summed per time bucket.
import type { AuditRecordInfo } from '../types.js';

export interface Bucket {
  start: number;
  delivered: number;
  withheld: number;
  reads: number;
}

const STEPS = [
  60_000,
  5 * 60_000,
  15 * 60_000,
  3_600_000,
  6 * 3_600_000,
  86_400_000,
  7 * 86_400_000,
  30 * 86_400_000,
];

/** The smallest step that fits the span in at most `maxBuckets` buckets. */
export function stepFor(spanMs: number, maxBuckets = 48): number {
  return STEPS.find((s) => spanMs / s <= maxBuckets) ?? STEPS[STEPS.length - 1]!;
}

export function deliveredOf(r: AuditRecordInfo): number {
  return Array.isArray(r.served) ? r.served.length : 0;
}

export function withheldOf(r: AuditRecordInfo): number {
  return typeof r.withheld === 'number' ? r.withheld : 0;
}

/** Records of partner reads only (served/withheld present). */
export function isPartnerRead(r: AuditRecordInfo): boolean {
  return r.role === 'partner' && (Array.isArray(r.served) || typeof r.withheld === 'number');
}

export function bucketize(
  records: readonly AuditRecordInfo[],
  maxBuckets = 48,
): { step: number; buckets: Bucket[] } {
  const reads = records.filter(isPartnerRead);
  const times = reads.map((r) => Date.parse(r.at)).filter((t) => Number.isFinite(t));
  if (times.length === 0) return { step: STEPS[0]!, buckets: [] };
  const min = Math.min(...times);
  const max = Math.max(...times);
  const step = stepFor(max - min + 1, maxBuckets);
  const first = Math.floor(min / step) * step;
  const count = Math.floor(max / step) - Math.floor(min / step) + 1;
  const buckets: Bucket[] = Array.from({ length: count }, (_, i) => ({
    start: first + i * step,
    delivered: 0,
    withheld: 0,
    reads: 0,
  }));
  for (const r of reads) {
    const t = Date.parse(r.at);
    if (!Number.isFinite(t)) continue;
    const b = buckets[Math.floor((t - first) / step)]!;
    b.delivered += deliveredOf(r);
    b.withheld += withheldOf(r);
    b.reads += 1;
  }
  return { step, buckets };
}

/** A round upper bound for the y axis (1, 2, 5 × 10ⁿ). */
export function niceMax(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const m of [1, 2, 5, 10]) if (m * power >= value) return m * power;
  return 10 * power;
}
