// Public surface of the configuration module.
export { loadConfig, DEFAULTS, DEFAULT_COLLECTION_ID, type Env } from './load-config.js';
export type { Config, ApiRootConfig, CollectionSeed, DiscoveryConfig, TlsConfig } from './types.js';
export type { AuthConfig } from './auth-config.js';
export type { SharingConfig } from './sharing-config.js';
