// The Prometheus metrics of one server instance (prom-client), on a registry of its own so that
// several servers in one process (tests) never share counts. Every label value comes from a
// bounded set: route templates, status codes, rule ids, reasons capped in number.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface DerivedCacheCounts {
  hits: number;
  misses: number;
}

export interface PageCacheCounts extends DerivedCacheCounts {
  bytes: number;
}

/** One partner page as the sharing view decided it (counts only, never content). */
export interface PartnerReadCounts {
  surface: string;
  served: number;
  /** Served objects that at least one rule changed. */
  rewritten: number;
  /** Rule hits on the page (served and withheld objects), by rule id (R4, R6, …). */
  hitsByRule: Record<string, number>;
  /** Withheld objects by reason text ("R2: …"). */
  withheldByReason: Record<string, number>;
}

export interface ObjectWriteCounts {
  added: number;
  duplicates: number;
  /** Refused objects by reason (`invalid_stix:<first error code>`, `conflict`). */
  rejected: Record<string, number>;
}

export interface Metrics {
  readonly registry: Registry;
  readonly contentType: string;
  observeRequest(route: string, method: string, status: number, seconds: number): void;
  objectsWritten(source: 'http' | 'cli', counts: ObjectWriteCounts): void;
  partnerRead(counts: PartnerReadCounts): void;
  failureLimiterRefusal(): void;
  authenticationFailure(): void;
  observeStore(operation: string, seconds: number, ok: boolean): void;
  /** The derived-bytes cache whose hit ratio is exported (read at scrape time). */
  useDerivedCache(stats: () => DerivedCacheCounts): void;
  /** A page cache whose counters are exported under `cache="<name>"` (read at scrape time). */
  usePageCache(name: string, stats: () => PageCacheCounts): void;
  text(): Promise<string>;
}

/** Distinct values a free-text label may take before further ones are reported as `other`. */
const MAX_REASON_VALUES = 64;

function boundedLabel(): (value: string) => string {
  const seen = new Set<string>();
  return (value) => {
    const v = value.length > 120 ? value.slice(0, 120) : value;
    if (seen.has(v)) return v;
    if (seen.size >= MAX_REASON_VALUES) return 'other';
    seen.add(v);
    return v;
  };
}

function ruleOf(reason: string): string {
  const match = /^(R\d{1,2})\b/.exec(reason);
  return match ? match[1]! : 'none';
}

export function createMetrics(options: { processMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const requests = new Counter({
    name: 'stixgate_http_requests_total',
    help: 'HTTP requests answered, by route template, method and status code',
    labelNames: ['route', 'method', 'status'],
    registers,
  });
  const latency = new Histogram({
    name: 'stixgate_http_request_duration_seconds',
    help: 'Time from request received to response finished, by route template, method and status',
    labelNames: ['route', 'method', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers,
  });
  const ingested = new Counter({
    name: 'stixgate_objects_ingested_total',
    help: 'Objects written to a collection, by source (http, cli) and outcome (added, duplicate)',
    labelNames: ['source', 'outcome'],
    registers,
  });
  const rejected = new Counter({
    name: 'stixgate_objects_rejected_total',
    help: 'Objects refused on write, by source and reason',
    labelNames: ['source', 'reason'],
    registers,
  });
  const partnerObjects = new Counter({
    name: 'stixgate_partner_objects_total',
    help: 'Objects on partner pages, by surface and outcome (served, rewritten, withheld)',
    labelNames: ['surface', 'outcome'],
    registers,
  });
  const partnerRuleHits = new Counter({
    name: 'stixgate_partner_rule_hits_total',
    help: 'Sharing rule hits on partner pages (objects served or withheld), by rule',
    labelNames: ['rule'],
    registers,
  });
  const partnerWithheld = new Counter({
    name: 'stixgate_partner_objects_withheld_total',
    help: 'Objects withheld from partners, by rule and reason',
    labelNames: ['rule', 'reason'],
    registers,
  });
  const limiterRefusals = new Counter({
    name: 'stixgate_auth_failure_limiter_refusals_total',
    help: 'Authentication attempts refused (429) because the client address used up its failures',
    registers,
  });
  const authFailures = new Counter({
    name: 'stixgate_auth_failures_total',
    help: 'Presented credentials that were refused (401)',
    registers,
  });
  const storeLatency = new Histogram({
    name: 'stixgate_store_operation_duration_seconds',
    help: 'Store operation latency, by operation and result (ok, error)',
    labelNames: ['operation', 'result'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
    registers,
  });
  let cacheStats: (() => DerivedCacheCounts) | undefined;
  new Gauge({
    name: 'stixgate_derived_cache_hits',
    help: 'Partner derivations answered from the derived-bytes cache since start or reload',
    registers,
    collect() {
      this.set(cacheStats?.().hits ?? 0);
    },
  });
  new Gauge({
    name: 'stixgate_derived_cache_misses',
    help: 'Partner derivations computed because the derived-bytes cache had no entry',
    registers,
    collect() {
      this.set(cacheStats?.().misses ?? 0);
    },
  });
  new Gauge({
    name: 'stixgate_derived_cache_hit_ratio',
    help: 'hits / (hits + misses) of the derived-bytes cache; 0 before the first partner read',
    registers,
    collect() {
      const s = cacheStats?.() ?? { hits: 0, misses: 0 };
      const total = s.hits + s.misses;
      this.set(total === 0 ? 0 : s.hits / total);
    },
  });

  const pageCaches = new Map<string, () => PageCacheCounts>();
  const pageCacheGauge = (
    name: string,
    help: string,
    value: (counts: PageCacheCounts) => number,
  ): Gauge =>
    new Gauge({
      name,
      help,
      labelNames: ['cache'],
      registers,
      collect() {
        for (const [cache, stats] of pageCaches) this.set({ cache }, value(stats()));
      },
    });
  pageCacheGauge(
    'stixgate_page_cache_hits',
    'Pages answered from memory since start (store_pages: object pages; partner_pages: derived partner pages)',
    (c) => c.hits,
  );
  pageCacheGauge(
    'stixgate_page_cache_misses',
    'Pages read or derived because no page was kept for the current content revision',
    (c) => c.misses,
  );
  pageCacheGauge('stixgate_page_cache_bytes', 'Estimated bytes of the pages kept', (c) => c.bytes);

  const reasonLabel = boundedLabel();
  const rejectLabel = boundedLabel();
  return {
    registry,
    contentType: registry.contentType,
    observeRequest(route, method, status, seconds) {
      const labels = { route, method, status: String(status) };
      requests.inc(labels);
      latency.observe(labels, seconds);
    },
    objectsWritten(source, counts) {
      if (counts.added > 0) ingested.inc({ source, outcome: 'added' }, counts.added);
      if (counts.duplicates > 0) ingested.inc({ source, outcome: 'duplicate' }, counts.duplicates);
      for (const [reason, n] of Object.entries(counts.rejected))
        rejected.inc({ source, reason: rejectLabel(reason) }, n);
    },
    partnerRead(counts) {
      const surface = counts.surface;
      if (counts.served > 0) partnerObjects.inc({ surface, outcome: 'served' }, counts.served);
      if (counts.rewritten > 0)
        partnerObjects.inc({ surface, outcome: 'rewritten' }, counts.rewritten);
      let withheld = 0;
      for (const [reason, n] of Object.entries(counts.withheldByReason)) {
        withheld += n;
        partnerWithheld.inc({ rule: ruleOf(reason), reason: reasonLabel(reason) }, n);
      }
      if (withheld > 0) partnerObjects.inc({ surface, outcome: 'withheld' }, withheld);
      for (const [rule, n] of Object.entries(counts.hitsByRule)) partnerRuleHits.inc({ rule }, n);
    },
    failureLimiterRefusal: () => limiterRefusals.inc(),
    authenticationFailure: () => authFailures.inc(),
    observeStore(operation, seconds, ok) {
      storeLatency.observe({ operation, result: ok ? 'ok' : 'error' }, seconds);
    },
    useDerivedCache(stats) {
      cacheStats = stats;
    },
    usePageCache(name, stats) {
      pageCaches.set(name, stats);
    },
    text: () => registry.metrics(),
  };
}
