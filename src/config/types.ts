// The typed, frozen configuration every module receives (built by load-config.ts).
import type { CollectionRecord } from '../domain.js';
import type { AuthConfig } from './auth-config.js';
import type { OpsConfig } from './ops-config.js';
import type { SharingConfig } from './sharing-config.js';

export interface DiscoveryConfig {
  title: string;
  description?: string;
  contact?: string;
  /** Path of the default API root (e.g. `api1`); must be one of `apiRoots`. */
  defaultApiRoot?: string;
  /** When true, `/taxii2/` answers without authentication. */
  public: boolean;
}

export interface ApiRootConfig {
  /** One URL path segment, e.g. `api1` (served at `/api1/`). */
  path: string;
  title: string;
  description?: string;
  /** TAXII 2.1 §4.2 max_content_length, in bytes; larger POST bodies get 413. */
  maxContentLength: number;
  /** `limit` applied when the client gives none. */
  defaultLimit: number;
  /** Server cap on `limit` (TAXII 2.1 §3.4: a server may cap). */
  maxLimit: number;
  /**
   * Objects one POST may carry. Each object costs a status entry (about 90 bytes even for a
   * 10-byte invalid stub), so this bounds the status a request can make the server build.
   */
  maxObjectsPerRequest: number;
}

/** A collection as the configuration (or the admin API, or the CLI) declares it: stored with its creation time. */
export type CollectionSeed = Omit<CollectionRecord, 'createdAt'>;

export interface TlsConfig {
  certFile: string;
  keyFile: string;
}

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  mongodbUri?: string;
  /**
   * MongoDB: how long an unfinished write's date_added reservation holds readers back before it
   * is presumed dead and repaired (STIXGATE_MONGODB_RESERVATION_TIMEOUT_MS, default 60000).
   */
  mongodbReservationTimeoutMs: number;
  /**
   * Names this instance's reservations (STIXGATE_INSTANCE_ID, default `<host name>:<DATA_DIR>`):
   * stable across restarts, distinct per instance.
   */
  instanceId: string;
  /** Absolute path of the configuration file, when one was given. */
  configFile?: string;
  /** Cursor HMAC secret file; absent → `<dataDir>/cursor-secret`, generated on first start. */
  cursorSecretFile?: string;
  logLevel: string;
  discovery: DiscoveryConfig;
  apiRoots: ApiRootConfig[];
  collections: CollectionSeed[];
  /** True when no file declared collections: main.ts seeds the default collection if the root is empty. */
  usesDefaultCollections: boolean;
  status: { retentionHours: number };
  /** Abuse limits (docs/configuration.md `limits`). */
  /**
   * Proxies (addresses or CIDR blocks) whose X-Forwarded-For names the client: the address the
   * failure limiter counts and the log records. Empty: the socket's peer.
   */
  trustProxy: string[];
  limits: {
    /** Per authenticated principal; 0 = unlimited. */
    principalRequestsPerMinute: number;
    /** Requests served at once by this instance; 0 = unlimited. */
    maxConcurrentRequests: number;
  };
  /** Browser origins allowed by CORS; empty = CORS off. */
  cors: { allowOrigins: string[] };
  tls?: TlsConfig;
  auth: AuthConfig;
  /** /metrics exposure and the SIGTERM drain (environment only). */
  ops: OpsConfig;
  /**
   * The `sharing` section, parsed (partner groups, policies, registry; `masterKeyFile` absolute).
   * No section → no groups: partners are served nothing.
   */
  sharing: SharingConfig;
  /** STIXGATE_SHARING_KEY_FILE: the master key file, instead of sharing.master_key_file (config/sharing-key.ts). */
  sharingKeyFile?: string;
  /** STIXGATE_SHARING_CACHE_MB: memory for derived partner output (MiB of heap, default 32, 0 = no cache). */
  sharingCacheMb: number;
  /** STIXGATE_READ_CACHE_MB: memory for store pages kept by collection revision (default 16, 0 = off). */
  readCacheMb: number;
  /** STIXGATE_PARTNER_PAGE_CACHE_MB: memory for whole derived partner pages (default 16, 0 = off). */
  partnerPageCacheMb: number;
  /** STIXGATE_AUDIT_RETENTION_DAYS: audit records older than this are purged (default 365, 0 = never). */
  auditRetentionDays: number;
}
