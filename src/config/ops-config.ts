// Operations settings from the environment: how /metrics is exposed and how long SIGTERM
// drains. Pure: the caller passes the environment.
import { ConfigError } from '../errors.js';
import { checkInteger } from './reader.js';

export interface MetricsConfig {
  /** Bearer token file for /metrics on the main listener. */
  tokenFile?: string;
  /** A listener of its own for /metrics (the bind address is the protection). */
  listen?: { host: string; port: number };
}

export interface OpsConfig {
  metrics: MetricsConfig;
  /** Seconds SIGTERM waits for requests in flight before cutting them off. */
  drainSeconds: number;
}

/** Below Docker's default 10 s stop timeout, so the cut-off is logged before SIGKILL. */
export const DEFAULT_DRAIN_SECONDS = 8;

type Env = Readonly<Record<string, string | undefined>>;

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function integer(env: Env, name: string, min: number, max: number): number | undefined {
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return undefined;
  if (!/^[0-9]{1,6}$/.test(raw))
    throw new ConfigError(name, `must be an integer between ${min} and ${max}`);
  return checkInteger(Number(raw), name, { min, max });
}

export function parseOpsConfig(env: Env): OpsConfig {
  const metrics: MetricsConfig = {};
  const tokenFile = nonEmpty(env.STIXGATE_METRICS_TOKEN_FILE);
  if (tokenFile !== undefined) metrics.tokenFile = tokenFile;
  const port = integer(env, 'STIXGATE_METRICS_PORT', 0, 65535);
  const host = nonEmpty(env.STIXGATE_METRICS_HOST);
  if (host !== undefined && port === undefined)
    throw new ConfigError('STIXGATE_METRICS_HOST', 'needs STIXGATE_METRICS_PORT');
  if (port !== undefined) metrics.listen = { host: host ?? '127.0.0.1', port };
  return {
    metrics,
    drainSeconds: integer(env, 'STIXGATE_SHUTDOWN_DRAIN_SECONDS', 0, 3600) ?? DEFAULT_DRAIN_SECONDS,
  };
}
