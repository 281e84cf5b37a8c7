// Composition root: configuration → store → seeded collections → keys → app → listen, plus
// signals. The only module that wires concrete implementations together.

import { accessSync, constants as fsConstants } from 'node:fs';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Logger } from 'pino';
import { createAuthenticator } from './auth/authenticator.js';
import { firstStartHint, loadVerificationKeys } from './auth/key-files.js';
import type { Env } from './config/load-config.js';
import { readConfig } from './config/read-config.js';
import {
  CURSOR_SECRET_NAME,
  loadCursorSecret,
  readMetricsToken,
  readTlsFiles,
} from './config/secret-file.js';
import { readSharingMasterKey } from './config/sharing-key.js';
import type { Config } from './config/types.js';
import { ConfigError } from './errors.js';
import { answerNodeRefusals, NODE_SERVER_OPTIONS } from './http/client-error.js';
import { createApp, createMetricsApp, nowMicros, type ExtraRouter } from './http/app.js';
import { adminMount } from './http/routes/admin/router.js';
import { createLogger } from './http/logger.js';
import { createMetrics, type Metrics } from './observability/metrics.js';
import { partnerReadCounts } from './observability/partner-read-counts.js';
import { timedStore } from './observability/timed-store.js';
import type { MetricsAccess } from './http/routes/metrics.js';
import type { ReadinessCheck } from './http/routes/readiness.js';
import { cachedReads } from './store/cached-reads.js';
import { openStore } from './store/open-store.js';
import type { Micros, Store } from './store/types.js';
import { createStixValidator } from './stix/validate.js';
import type { ObjectValidator } from './taxii/deps.js';
import type { ReadViewProvider } from './taxii/read-view.js';
import { seedCollections } from './taxii/seed-collections.js';
import {
  createSharingRuntime,
  type LoadedSharing,
  type ReloadOutcome,
  type SharingRuntime,
} from './partner/runtime.js';
import { purgeExpiredStatuses } from './taxii/status.js';

export interface StartOptions {
  /** Install SIGTERM/SIGINT/SIGHUP handlers (the CLI does; tests do not). */
  handleSignals?: boolean;
  /** Logger to use instead of one built from STIXGATE_LOG_LEVEL (tests pass a silent one). */
  log?: Logger;
  /** Where start-up messages (URLs, token hint) go; default stdout. */
  print?: (line: string) => void;
  /** Routers to mount; default: the admin API at /admin (http/routes/admin/router.ts). */
  extraRouters?: (ctx: WiringContext) => ExtraRouter[];
  /** Clock in microseconds (tests); default the system clock. */
  now?: () => Micros;
  partnerReadView?: (ctx: WiringContext) => ReadViewProvider | undefined;
  /** The built review console (default dist/console of this checkout). */
  consoleDir?: string;
}

export type ReloadListener = (config: Readonly<Config>) => void | Promise<void>;

/** What optional wiring (admin API, sharing view) receives from the composition root. */
export interface WiringContext {
  config: Readonly<Config>;
  store: Store;
  log: Logger;
  /** Called with the re-read configuration on SIGHUP (e.g. new sharing policies). */
  onReload(listener: ReloadListener): void;
}

export interface RunningServer {
  config: Readonly<Config>;
  store: Store;
  server: Server;
  /** Base URL, e.g. http://127.0.0.1:8000 */
  url: string;
  /** Called on SIGHUP (and by tests) after re-reading the configuration file. */
  onReload(listener: ReloadListener): void;
  reload(): Promise<void>;
  /** This instance's metrics (what /metrics serves). */
  metrics: Metrics;
  /** URL of the dedicated metrics listener, when STIXGATE_METRICS_PORT is set. */
  metricsUrl?: string;
  /**
   * What SIGTERM does: stop accepting connections, let requests in flight finish for the
   * configured drain, then cut off (and log) what is left, and close the store.
   */
  shutdown(signal: string): Promise<{ cutOff: number }>;
  close(): Promise<void>;
}

const STATUS_PURGE_INTERVAL_MS = 60 * 60 * 1000;

export async function startServer(env: Env, options: StartOptions = {}): Promise<RunningServer> {
  const config = readConfig(env);
  const log = options.log ?? createLogger(config.logLevel);
  const print = options.print ?? ((line: string) => log.info(line));

  const keys = loadVerificationKeys(config.auth, config.dataDir);
  for (const warning of keys.warnings) log.warn(warning);
  const cursorSecret = loadCursorSecret(config);
  if (config.mongodbUri !== undefined && config.cursorSecretFile === undefined) {
    // Several instances on one MongoDB must share the cursor key, or a `next` issued by one is
    // refused (400) by the others (docs/scaling.md).
    log.warn(
      'MONGODB_URI is set but STIXGATE_CURSOR_SECRET_FILE is not: `next` cursors only work on this instance',
    );
  }
  const validator = await loadObjectValidator();

  const metrics = createMetrics();
  const metricsAccess = readMetricsAccess(config);
  // Pages kept by collection revision sit under the timing, so the metrics show what readers waited.
  const pages = cachedReads(
    await openStore({
      dataDir: config.dataDir,
      ...(config.mongodbUri !== undefined && { mongodbUri: config.mongodbUri }),
      mongodb: {
        reservationTtlMs: config.mongodbReservationTimeoutMs,
        instanceId: config.instanceId,
      },
      log,
    }),
    { maxBytes: Math.floor(config.readCacheMb * 1024 * 1024) },
  );
  const store = timedStore(pages, metrics);
  try {
    const seeded = await seedCollections(store, config, (options.now ?? nowMicros)());
    if (seeded.created.length + seeded.updated.length > 0)
      log.info(seeded, 'collections seeded from configuration');
    const reloadListeners: ReloadListener[] = [];
    const ctx: WiringContext = {
      config,
      store,
      log,
      onReload: (listener) => reloadListeners.push(listener),
    };
    // Partners read through the sharing engine (partner/view.ts) unless
    // the caller wires a view of its own; the admin API gets the live groups, audit, preview
    // and reload (http/routes/admin/sharing.ts).
    const sharing = startSharing({
      config,
      store,
      validator,
      log,
      now: options.now ?? nowMicros,
      metrics,
    });
    metrics.useDerivedCache(() => sharing.runtime.cache.stats());
    metrics.usePageCache('store_pages', () => pages.readCacheStats());
    metrics.usePageCache('partner_pages', () => sharing.runtime.pages.stats());
    const partnerReadView = options.partnerReadView
      ? options.partnerReadView(ctx)
      : sharing.runtime.provider;
    const app = createApp({
      config,
      store,
      authenticator: createAuthenticator({
        keys: keys.keys,
        auth: config.auth,
        revocations: store,
      }),
      log,
      validator,
      cursorSecret,
      ...(partnerReadView !== undefined && { partnerReadView }),
      metrics,
      ...(metricsAccess !== undefined &&
        config.ops.metrics.listen === undefined && { metricsAccess }),
      readiness: readinessChecks(config, sharing.runtime),
      extraRouters: options.extraRouters?.(ctx) ?? [
        adminMount(ctx, {
          runtime: sharing.runtime,
          reload: (by) => sharing.reload(() => readConfig(env), by.actor),
          ...(config.configFile !== undefined && {
            check: () => sharing.check(() => readConfig(env)),
          }),
        }),
      ],
      ...(options.now !== undefined && { now: options.now }),
      ...(options.consoleDir !== undefined && { consoleDir: options.consoleDir }),
    });
    const server = config.tls
      ? createHttpsServer(
          {
            ...readTlsFiles(config.tls),
            // TAXII 2.1 §8.3: TLS 1.2 at least, 1.3 preferred. Node never accepts 0-RTT data.
            minVersion: 'TLSv1.2',
            ...NODE_SERVER_OPTIONS,
          },
          app,
        )
      : createHttpServer(NODE_SERVER_OPTIONS, app);
    answerNodeRefusals(server, { tls: config.tls !== undefined });
    server.headersTimeout = 30_000;
    // Longer than any proxy's or client's idle keep-alive, so the client side closes an idle
    // connection first. With node's 5 s, an event loop held by a large POST lets the idle
    // timer fire before a request already sent on that connection is read: ECONNRESET.
    server.keepAliveTimeout = 65_000;
    server.requestTimeout = 120_000;
    const inFlight = trackInFlight(server);
    const url = await listen(server, config.port, config.host, config.tls ? 'https' : 'http');
    let metricsServer: Server | undefined;
    let metricsUrl: string | undefined;
    if (config.ops.metrics.listen !== undefined) {
      // The dedicated listener serves /metrics only; its bind address is the protection, and
      // a token, when configured, is asked there too.
      metricsServer = createHttpServer(
        createMetricsApp(metrics, metricsAccess ?? { mode: 'open' }, log),
      );
      try {
        metricsUrl = await listen(
          metricsServer,
          config.ops.metrics.listen.port,
          config.ops.metrics.listen.host,
          'http',
        );
      } catch (error) {
        server.close();
        throw error;
      }
    }

    const purge = setInterval(() => {
      purgeExpiredStatuses({ config, store, now: nowMicros }).catch((error: unknown) =>
        log.warn({ err: error }, 'status purge failed'),
      );
    }, STATUS_PURGE_INTERVAL_MS);
    purge.unref();

    let closing: Promise<void> | undefined;
    let shuttingDown: Promise<{ cutOff: number }> | undefined;
    const drainMs = config.ops.drainSeconds * 1000;
    const running: RunningServer = {
      config,
      store,
      server,
      url,
      metrics,
      ...(metricsUrl !== undefined && { metricsUrl }),
      onReload(listener) {
        reloadListeners.push(listener);
      },
      async reload() {
        // The HTTP settings (host, port, roots) need a restart; the sharing model and the
        // listeners pick up what they can. The file is read inside the sharing reload, so a
        // broken one is audited (policy.reload_failed) like an admin reload, and the running
        // configuration kept.
        let next: Readonly<Config> | undefined;
        await sharing.reload(() => (next = readConfig(env)), 'system:reload');
        for (const listener of reloadListeners) await listener(next!);
        log.info({ listeners: reloadListeners.length }, 'configuration reloaded');
      },
      shutdown(signal) {
        shuttingDown ??= (async () => {
          log.info(
            { signal, inFlight: inFlight.size, drainSeconds: config.ops.drainSeconds },
            'shutting down: no new connections, draining requests in flight',
          );
          const cutOff = await drain(server, inFlight, drainMs, log);
          await running.close();
          log.info({ cutOff }, 'stopped');
          return { cutOff };
        })();
        return shuttingDown;
      },
      close() {
        closing ??= (async () => {
          clearInterval(purge);
          metricsServer?.close();
          metricsServer?.closeAllConnections();
          await new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeIdleConnections();
          });
          await sharing.close();
          await store.close();
        })();
        return closing;
      },
    };

    log.info(
      {
        url,
        store: store.backend,
        apiRoots: config.apiRoots.map((r) => `${url}/${r.path}/`),
        ...(metricsUrl !== undefined && { metrics: `${metricsUrl}/metrics` }),
        metricsOnMainListener: metricsAccess !== undefined && metricsUrl === undefined,
        node: process.version,
      },
      'listening',
    );
    print(`stixgate listening on ${url} (store: ${store.backend})`);
    print(`  discovery: ${url}/taxii2/${config.discovery.public ? '' : ' (authenticated)'}`);
    for (const root of config.apiRoots) print(`  API root:  ${url}/${root.path}/`);
    if (keys.generatedSecretFile !== undefined)
      print(firstStartHint(keys.generatedSecretFile, cliInvocation(env)));
    if (options.handleSignals) installSignalHandlers(running, log);
    return running;
  } catch (error) {
    await store.close();
    throw error;
  }
}

/** Audit records older than this are purged (STIXGATE_AUDIT_RETENTION_DAYS; 0 keeps them forever). */
const AUDIT_PURGE_INTERVAL_MS = 60 * 60 * 1000;
const US_PER_DAY = 86_400_000_000;

interface RunningSharing {
  runtime: SharingRuntime;
  /** `next` reads the configuration; the runtime audits the reload, failed or not. */
  reload(next: () => Readonly<Config>, actor: string): Promise<ReloadOutcome>;
  /** Validates what `next` reads as a reload would, without applying it or creating a key file. */
  check(next: () => Readonly<Config>): string[];
  close(): Promise<void>;
}

/**
 * The sharing model (config.sharing), its master key (config/sharing-key.ts; created with
 * mode 0600 on first start; never logged), the derived-bytes cache, audit batching and
 * retention (purged hourly).
 */
function startSharing(deps: {
  config: Readonly<Config>;
  store: Store;
  validator: ObjectValidator;
  log: Logger;
  now: () => Micros;
  metrics: Metrics;
}): RunningSharing {
  const { store, log } = deps;
  const load = (config: Readonly<Config>): LoadedSharing => {
    const key = readSharingMasterKey(config, { create: true });
    if (key?.generated === true)
      log.warn(
        { file: key.file },
        'generated the sharing master key: back it up and give every instance the same file',
      );
    return {
      model: config.sharing,
      ...(key !== undefined && { master: key.secret, keyFile: key.file }),
    };
  };
  const {
    sharingCacheMb: cacheMb,
    partnerPageCacheMb: pageMb,
    auditRetentionDays: retentionDays,
  } = deps.config;
  const runtime = createSharingRuntime({
    store,
    validator: deps.validator,
    loaded: load(deps.config),
    cacheBytes: Math.floor(cacheMb * 1024 * 1024),
    pageCacheBytes: Math.floor(pageMb * 1024 * 1024),
    onAlert: (alert) => log.warn(alert, 'egress re-scan withheld objects (R13)'),
    onAuditError: (error, dropped) =>
      log.error({ err: error, dropped }, 'audit records could not be written'),
    onPartnerRead: (event) => {
      deps.metrics.partnerRead(partnerReadCounts(event));
      // Withheld or removed for doubt, not policy: ids, rules and reasons only, never content.
      for (const d of event.details.doubts)
        log.warn(
          { objectId: d.objectId, rule: d.rule, path: d.path, reason: d.reason },
          'sharing withheld or removed content it could not judge',
        );
    },
  });
  const purge = setInterval(() => {
    if (retentionDays === 0) return;
    store
      .purgeAudit(deps.now() - retentionDays * US_PER_DAY)
      .catch((error: unknown) => log.warn({ err: error }, 'audit purge failed'));
  }, AUDIT_PURGE_INTERVAL_MS);
  purge.unref();
  return {
    runtime,
    check(next) {
      try {
        readSharingMasterKey(next(), { create: false });
        return [];
      } catch (error) {
        if (error instanceof ConfigError) return [error.message];
        throw error;
      }
    },
    async reload(next, actor) {
      const outcome = await runtime.reload(() => load(next()), {
        actor,
        role: 'admin',
        at: deps.now,
      });
      log.info(outcome, 'sharing model reloaded');
      return outcome;
    },
    async close() {
      clearInterval(purge);
      await runtime.close();
    },
  };
}

function installSignalHandlers(running: RunningServer, log: Logger): void {
  const stop = (signal: NodeJS.Signals): void => {
    // The drain cuts requests off itself; this only guards against a store that never closes.
    const force = setTimeout(
      () => {
        log.error('shutdown did not finish; exiting');
        process.exit(1);
      },
      running.config.ops.drainSeconds * 1000 + 5000,
    );
    force.unref();
    running.shutdown(signal).then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.on('SIGHUP', () => {
    running
      .reload()
      .catch((error: unknown) =>
        log.error({ err: error }, 'configuration reload failed; keeping the running configuration'),
      );
  });
}

/** The STIX validator used by every write path (TAXII POST, `stixgate import`); schemas compile once per call. */
export async function loadObjectValidator(): Promise<ObjectValidator> {
  return createStixValidator();
}

async function listen(
  server: Server,
  port: number,
  host: string,
  scheme: 'http' | 'https',
): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `${scheme}://${shown}:${address.port}`;
}

interface InFlight {
  req: IncomingMessage;
  res: ServerResponse;
  startedAt: number;
}

function trackInFlight(server: Server): Set<InFlight> {
  const inFlight = new Set<InFlight>();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const entry = { req, res, startedAt: Date.now() };
    inFlight.add(entry);
    // A keep-alive client must reconnect elsewhere once this instance drains.
    if (!server.listening) res.setHeader('Connection', 'close');
    res.once('close', () => inFlight.delete(entry));
  });
  return inFlight;
}

/**
 * Stops listening, closes idle keep-alive connections as they become idle, and waits up to
 * `drainMs` for requests in flight. What is still running then is logged (method, path
 * without query, age, bytes received) and its connection destroyed. Returns how many were cut.
 */
async function drain(
  server: Server,
  inFlight: Set<InFlight>,
  drainMs: number,
  log: Logger,
): Promise<number> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const idleSweep = setInterval(() => server.closeIdleConnections(), 100);
  const deadline = Date.now() + drainMs;
  while (inFlight.size > 0 && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 25));
  clearInterval(idleSweep);
  const cut = [...inFlight];
  if (cut.length > 0) {
    log.warn(
      {
        cutOff: cut.map((f) => ({
          method: f.req.method,
          path: (f.req.url ?? '').split('?')[0],
          ageMs: Date.now() - f.startedAt,
          bytesReceived: f.req.socket?.bytesRead ?? 0,
        })),
      },
      `drain of ${drainMs / 1000} s over: cutting off ${cut.length} request(s) in flight`,
    );
  }
  server.closeAllConnections();
  await closed;
  return cut.length;
}

function readMetricsAccess(config: Readonly<Config>): MetricsAccess | undefined {
  const file = config.ops.metrics.tokenFile;
  if (file === undefined) return config.ops.metrics.listen ? { mode: 'open' } : undefined;
  return { mode: 'token', token: readMetricsToken(file) };
}

/** What /readyz checks besides the store: configuration, sharing model, readable key files. */
function readinessChecks(config: Readonly<Config>, sharing: SharingRuntime): ReadinessCheck[] {
  const keyFiles = (): string[] =>
    [
      config.auth.jwtSecretFile ??
        (config.auth.jwtPublicKeyFile === undefined
          ? path.join(config.dataDir, 'jwt-secret')
          : undefined),
      config.auth.jwtPublicKeyFile,
      config.cursorSecretFile ?? path.join(config.dataDir, CURSOR_SECRET_NAME),
      sharing.keyFile(),
      config.tls?.certFile,
      config.tls?.keyFile,
    ].filter((f): f is string => f !== undefined);
  return [
    { name: 'config', check: () => void config.apiRoots[0]!.path },
    {
      name: 'sharing',
      check: () => {
        if (sharing.state().model === undefined) throw new Error('no sharing model');
      },
    },
    {
      name: 'keys',
      check: () => {
        for (const file of keyFiles()) accessSync(file, fsConstants.R_OK);
      },
    },
  ];
}

/** How the operator runs the CLI here: in the image (no sources), or from the checkout. */
function cliInvocation(env: Env): string {
  if (env.STIXGATE_IN_CONTAINER === '1') return 'docker exec <container> node bin/stixgate.js';
  return 'npx stixgate';
}
