// Composition root: configuration → store → seeded collections → keys → app → listen, plus
// signals. The only module that wires concrete implementations together.

import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { createAuthenticator } from './auth/authenticator.js';
import { firstStartHint, loadVerificationKeys, ensureSecretFile } from './auth/key-files.js';
import type { Env } from './config/load-config.js';
import { readConfig } from './config/read-config.js';
import { loadCursorSecret } from './config/secret-file.js';
import type { Config } from './config/types.js';
import { ConfigError } from './errors.js';
import { answerNodeRefusals, NODE_SERVER_OPTIONS } from './http/client-error.js';
import { createApp, nowMicros, type ExtraRouter } from './http/app.js';
import { adminMount } from './http/routes/admin/router.js';
import { createLogger } from './http/logger.js';
import { openStore } from './store/open-store.js';
import type { Micros, Store } from './store/types.js';
import { createStixValidator } from './stix/validate.js';
import type { ObjectValidator } from './taxii/deps.js';
import type { ReadViewProvider } from './taxii/read-view.js';
import { seedCollections } from './taxii/seed-collections.js';
import {
  createSharingRuntime,
  loadSharing,
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
  close(): Promise<void>;
}

const STATUS_PURGE_INTERVAL_MS = 60 * 60 * 1000;

export async function startServer(env: Env, options: StartOptions = {}): Promise<RunningServer> {
  const config = readConfig(env);
  const log = options.log ?? createLogger(config.logLevel);
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));

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

  const store = await openStore({
    dataDir: config.dataDir,
    ...(config.mongodbUri !== undefined && { mongodbUri: config.mongodbUri }),
    log,
  });
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
    });
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
            cert: readFileSync(config.tls.certFile),
            key: readFileSync(config.tls.keyFile),
            // TAXII 2.1 §8.3: TLS 1.2 at least, 1.3 preferred. Node never accepts 0-RTT data.
            minVersion: 'TLSv1.2',
            ...NODE_SERVER_OPTIONS,
          },
          app,
        )
      : createHttpServer(NODE_SERVER_OPTIONS, app);
    answerNodeRefusals(server, { tls: config.tls !== undefined });
    server.headersTimeout = 30_000;
    server.requestTimeout = 120_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const url = `${config.tls ? 'https' : 'http'}://${host}:${address.port}`;

    const purge = setInterval(() => {
      purgeExpiredStatuses({ config, store, now: nowMicros }).catch((error: unknown) =>
        log.warn({ err: error }, 'status purge failed'),
      );
    }, STATUS_PURGE_INTERVAL_MS);
    purge.unref();

    let closing: Promise<void> | undefined;
    const running: RunningServer = {
      config,
      store,
      server,
      url,
      onReload(listener) {
        reloadListeners.push(listener);
      },
      async reload() {
        // The HTTP settings (host, port, roots) need a restart; listeners (sharing policies)
        // pick up what they can. A broken file is reported and the running config kept.
        const next = readConfig(env);
        for (const listener of reloadListeners) await listener(next);
        log.info({ listeners: reloadListeners.length }, 'configuration reloaded');
      },
      close() {
        closing ??= (async () => {
          clearInterval(purge);
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

    // SIGHUP (and running.reload()) reloads the sharing model too; a broken
    // section or key file rejects the reload and the running model stays.
    running.onReload(async (next) => {
      await sharing.reload(() => next, 'system:reload');
    });
    print(`stixgate listening on ${url} (store: ${store.backend})`);
    print(`  discovery: ${url}/taxii2/${config.discovery.public ? '' : ' (authenticated)'}`);
    for (const root of config.apiRoots) print(`  API root:  ${url}/${root.path}/`);
    if (keys.generatedSecretFile !== undefined) print(firstStartHint(keys.generatedSecretFile));
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
  /** `next` reads the configuration; a failure (broken file, key) is audited and rethrown. */
  reload(next: () => Readonly<Config>, actor: string): Promise<ReloadOutcome>;
  /** Validates what `next` reads as a reload would, without applying it or creating a key file. */
  check(next: () => Readonly<Config>): string[];
  close(): Promise<void>;
}

/**
 * The sharing model, its master key (config.sharingKeyFile, else sharing.master_key_file;
 * created with mode 0600 on first start; never logged), the derived-bytes cache, audit
 * batching and retention (purged hourly).
 */
function startSharing(deps: {
  config: Readonly<Config>;
  store: Store;
  validator: ObjectValidator;
  log: Logger;
  now: () => Micros;
}): RunningSharing {
  const { store, log } = deps;
  const read = (config: Readonly<Config>, create: boolean) =>
    loadSharing({
      sharing: config.sharing,
      ...(config.configFile !== undefined && { configFile: config.configFile }),
      ...(config.sharingKeyFile !== undefined && { keyFileOverride: config.sharingKeyFile }),
      files: {
        ensureSecretFile: create ? ensureSecretFile : () => false,
        readFile: (file) => readFileSync(file),
      },
    });
  const load = (config: Readonly<Config>) => {
    const loaded = read(config, true);
    if (loaded.generatedKey)
      log.warn(
        { file: loaded.keyFile },
        'generated the sharing master key: back it up and give every instance the same file',
      );
    return loaded;
  };
  const { sharingCacheMb: cacheMb, auditRetentionDays: retentionDays } = deps.config;
  const runtime = createSharingRuntime({
    store,
    validator: deps.validator,
    loaded: load(deps.config),
    cacheBytes: Math.floor(cacheMb * 1024 * 1024),
    onAlert: (alert) => log.warn(alert, 'egress re-scan withheld objects (R13)'),
    onAuditError: (error, dropped) =>
      log.error({ err: error, dropped }, 'audit records could not be written'),
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
        read(next(), false);
        return [];
      } catch (error) {
        if (error instanceof ConfigError) return [error.message];
        throw error;
      }
    },
    async reload(next, actor) {
      let loaded: ReturnType<typeof load>;
      try {
        loaded = load(next());
      } catch (error) {
        // The running model stays. The audit names the configuration key, never file content.
        const key = error instanceof ConfigError ? error.key : 'internal';
        await store.appendAudit([
          {
            at: deps.now(),
            actor,
            role: 'admin',
            groups: [],
            action: 'policy.reload_failed',
            details: { key },
          },
        ]);
        throw error;
      }
      const outcome = await runtime.reload(loaded, { actor, role: 'admin', at: deps.now() });
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
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    running.close().then(
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
