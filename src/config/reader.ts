// Small typed readers for the declarative configuration: every failure names the key path
// (`collections[1].alias`) and unknown keys are errors, so typos never pass silently.
import { ConfigError } from '../errors.js';

export type RawObject = Record<string, unknown>;

export function isPlainObject(value: unknown): value is RawObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads an object at `key` and rejects keys outside `allowed`. Undefined/null → {}. */
export function readObject(value: unknown, key: string, allowed: readonly string[]): RawObject {
  if (value === undefined || value === null) return {};
  if (!isPlainObject(value)) throw new ConfigError(key, 'must be a mapping');
  for (const k of Object.keys(value)) {
    if (!allowed.includes(k)) throw new ConfigError(join(key, k), 'unknown key');
  }
  return value;
}

export function join(parent: string, child: string): string {
  return parent === '' ? child : `${parent}.${child}`;
}

export function readString(
  obj: RawObject,
  parent: string,
  name: string,
  options: { pattern?: RegExp; patternHint?: string; maxLength?: number } = {},
): string | undefined {
  const value = obj[name];
  const key = join(parent, name);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ConfigError(key, 'must be a string');
  if (value.length === 0) throw new ConfigError(key, 'must not be empty');
  if (options.maxLength !== undefined && value.length > options.maxLength) {
    throw new ConfigError(key, `must be at most ${options.maxLength} characters`);
  }
  if (options.pattern && !options.pattern.test(value)) {
    throw new ConfigError(key, options.patternHint ?? `must match ${String(options.pattern)}`);
  }
  return value;
}

export function requireString(
  obj: RawObject,
  parent: string,
  name: string,
  options: Parameters<typeof readString>[3] = {},
): string {
  const value = readString(obj, parent, name, options);
  if (value === undefined) throw new ConfigError(join(parent, name), 'is required');
  return value;
}

export function readBoolean(obj: RawObject, parent: string, name: string): boolean | undefined {
  const value = obj[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean')
    throw new ConfigError(join(parent, name), 'must be true or false');
  return value;
}

export function readInteger(
  obj: RawObject,
  parent: string,
  name: string,
  range: { min: number; max?: number },
): number | undefined {
  const value = obj[name];
  if (value === undefined || value === null) return undefined;
  return checkInteger(value, join(parent, name), range);
}

export function checkInteger(
  value: unknown,
  key: string,
  range: { min: number; max?: number },
): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value))
    throw new ConfigError(key, 'must be an integer');
  if (value < range.min) throw new ConfigError(key, `must be at least ${range.min}`);
  if (range.max !== undefined && value > range.max)
    throw new ConfigError(key, `must be at most ${range.max}`);
  return value;
}

export function readArray(obj: RawObject, parent: string, name: string): unknown[] | undefined {
  const value = obj[name];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw new ConfigError(join(parent, name), 'must be a list');
  return value;
}

export function readStringList(
  obj: RawObject,
  parent: string,
  name: string,
  pattern?: RegExp,
): string[] | undefined {
  const list = readArray(obj, parent, name);
  if (list === undefined) return undefined;
  return list.map((item, i) => {
    const key = `${join(parent, name)}[${i}]`;
    if (typeof item !== 'string' || item.length === 0)
      throw new ConfigError(key, 'must be a non-empty string');
    if (pattern && !pattern.test(item)) throw new ConfigError(key, `must match ${String(pattern)}`);
    return item;
  });
}
