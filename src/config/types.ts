// The typed, frozen configuration every module receives (built by load-config.ts).
import type { CollectionRecord } from '../domain.js';
import type { AuthConfig } from './auth-config.js';
import type { OpsConfig } from './ops-config.js';

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
  /** Browser origins allowed by CORS; empty = CORS off. */
  cors: { allowOrigins: string[] };
  tls?: TlsConfig;
  auth: AuthConfig;
  /** /metrics exposure and the SIGTERM drain (environment only). */
  ops: OpsConfig;
  /** The raw `sharing` section (validated by loadConfig with parseSharingConfig; parsed by the sharing wiring). */
  sharing: unknown;
}
