// The per-object working state the rules share: a private deep copy of the object, the rule
// hits (R14: by field path, never the matched text) and the bookkeeping R10 needs to fix
// granular-marking selectors after array items were removed.
import type { AudienceKey } from './keys.js';
import type { Audience } from './rules/r01-audience.js';
import type { ProtectedRegistry, SharingPolicy } from './policy.js';
import type { SharingTools } from './ports.js';
import type { RegistryIndex } from './registry-index.js';

export type RuleId =
  'R1' | 'R2' | 'R3' | 'R4' | 'R5' | 'R6' | 'R7' | 'R8' | 'R9' | 'R10' | 'R11' | 'R12' | 'R13';

/** The rule operators: withhold, drop, generalize, pseudonym, redact, keep. */
export type Operator = 'W' | 'D' | 'G' | 'P' | 'R' | 'K';

export interface RuleHit {
  rule: RuleId;
  /** STIX selector syntax (`external_references.[1].url`); `` for the object itself. */
  path: string;
  operator: Operator;
  objectId: string;
  /**
   * Set for removals that are not policy but doubt (fail closed): content the engine could not
   * judge with certainty. Counted by reason and shown to admins; never content.
   */
  reason?: string;
}

/** Thrown by a rule to withhold the current object; the reason names the rule, never content. */
export class Withhold extends Error {
  readonly rule: RuleId;
  readonly reason: string;

  constructor(rule: RuleId, reason: string) {
    // Thrown for every object a view does not serve, caught by the engine, and only its
    // message is kept: the stack trace it would take costs more than the rule that threw.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super(`${rule}: ${reason}`);
    } finally {
      Error.stackTraceLimit = limit;
    }
    this.rule = rule;
    this.reason = reason;
    this.name = 'Withhold';
  }
}

export type JsonObject = Record<string, unknown>;
export type PathToken = string | number;

/** Everything a rule may read; all of it fixed for one derive call. */
export interface Env {
  readonly policy: SharingPolicy;
  readonly registry: ProtectedRegistry;
  readonly index: RegistryIndex;
  readonly key: AudienceKey;
  readonly audience: Audience;
  readonly tools: SharingTools;
  /** The collection's default TLP for unmarked objects (R2). */
  readonly defaultTlp: 'clear' | 'green' | 'amber' | 'amber+strict' | 'red';
  /** Marking-definitions known to carry no TLP meaning (statement markings in the view). */
  readonly nonTlpMarkings: ReadonlySet<string>;
}

export class Work {
  readonly hits: RuleHit[] = [];
  /** Set when the object's id must be replaced by its pseudonym (R4). */
  pseudonymizeId = false;
  /** Array path (selector form) → original indices still present, in order. */
  private readonly arrays = new Map<string, number[]>();

  constructor(
    readonly obj: JsonObject,
    readonly originalId: string,
    readonly type: string,
  ) {}

  /** An independent copy (for R10's dry runs). */
  clone(): Work {
    const copy = new Work(copyJson(this.obj), this.originalId, this.type);
    copy.pseudonymizeId = this.pseudonymizeId;
    copy.hits.push(...this.hits);
    for (const [k, v] of this.arrays) copy.arrays.set(k, [...v]);
    return copy;
  }

  hit(rule: RuleId, path: string, operator: Operator, reason?: string): void {
    this.hits.push(
      reason === undefined
        ? { rule, path, operator, objectId: this.originalId }
        : { rule, path, operator, objectId: this.originalId, reason },
    );
  }

  /** Deletes a property (path to it) and records a D hit. Missing paths are ignored. */
  drop(rule: RuleId, path: readonly PathToken[]): void {
    if (path.length === 0) throw new Withhold(rule, 'cannot drop the object itself');
    const parent = resolve(this.obj, path.slice(0, -1));
    const last = path[path.length - 1]!;
    if (Array.isArray(parent) && typeof last === 'number') {
      if (last < parent.length) this.removeItems(rule, path.slice(0, -1), (i) => i !== last);
      return;
    }
    if (isObject(parent) && typeof last === 'string' && Object.hasOwn(parent, last)) {
      delete parent[last];
      this.hit(rule, formatPath(path), 'D');
    }
  }

  /**
   * Keeps the items of the array at `path` for which `keep(index)` holds and remembers which
   * original indices survive, so that granular-marking selectors can be renumbered.
   */
  removeItems(
    rule: RuleId,
    path: readonly PathToken[],
    keep: (index: number, item: unknown) => boolean,
  ): number {
    const array = resolve(this.obj, path);
    if (!Array.isArray(array)) return 0;
    const key = formatPath(path);
    const origin = this.arrays.get(key) ?? array.map((_, i) => i);
    const keptItems: unknown[] = [];
    const keptOrigin: number[] = [];
    array.forEach((item, i) => {
      if (keep(i, item)) {
        keptItems.push(item);
        keptOrigin.push(origin[i]!);
      } else {
        this.hit(rule, `${key}.[${origin[i]!}]`, 'D');
      }
    });
    const removed = array.length - keptItems.length;
    if (removed > 0) {
      array.splice(0, array.length, ...keptItems);
      this.arrays.set(key, keptOrigin);
    }
    return removed;
  }

  /**
   * Translates a selector written against the original object to the derived one; undefined
   * when what it selected is gone.
   */
  translateSelector(selector: string): string | undefined {
    const tokens = parseSelector(selector);
    if (tokens === undefined) return undefined;
    const out: PathToken[] = [];
    for (const token of tokens) {
      if (typeof token === 'number') {
        const map = this.arrays.get(formatPath(out));
        const index = map === undefined ? token : map.indexOf(token);
        if (index < 0) return undefined;
        out.push(index);
      } else {
        out.push(token);
      }
    }
    return resolve(this.obj, out) === undefined ? undefined : formatPath(out);
  }
}

/** Thrown inside copyJson on anything a plain copy would not reproduce as structuredClone does. */
const NOT_PLAIN = Symbol('not plain JSON');

/**
 * A deep copy equal to `structuredClone(value)` for what objects are made of here (parsed
 * JSON and what the rules put in it: plain objects, dense arrays, primitives), several times
 * cheaper for small objects. Anything else — a value reached twice (shared or cyclic), a
 * class instance, a sparse array — is left to structuredClone.
 */
export function copyJson<T>(value: T): T {
  try {
    return copyPlain(value, new Set()) as T;
  } catch (error) {
    if (error === NOT_PLAIN) return structuredClone(value);
    throw error;
  }
}

function copyPlain(node: unknown, seen: Set<object>): unknown {
  if (typeof node !== 'object' || node === null) return node;
  if (seen.has(node)) throw NOT_PLAIN;
  seen.add(node);
  if (Array.isArray(node)) {
    if (Object.getPrototypeOf(node) !== Array.prototype) throw NOT_PLAIN;
    const out: unknown[] = [];
    for (let i = 0; i < node.length; i++) {
      if (!(i in node)) throw NOT_PLAIN;
      out.push(copyPlain(node[i], seen));
    }
    return out;
  }
  const proto: unknown = Object.getPrototypeOf(node);
  if (proto !== Object.prototype && proto !== null) throw NOT_PLAIN;
  const source = node as JsonObject;
  const out: JsonObject = {};
  for (const key of Object.keys(source)) {
    const item = copyPlain(source[key], seen);
    // An own `__proto__` (JSON.parse makes one) must stay a property, not set the prototype.
    if (key === '__proto__')
      Object.defineProperty(out, key, {
        value: item,
        writable: true,
        enumerable: true,
        configurable: true,
      });
    else out[key] = item;
  }
  return out;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function resolve(root: unknown, path: readonly PathToken[]): unknown {
  let node: unknown = root;
  for (const token of path) {
    if (typeof token === 'number') {
      if (!Array.isArray(node)) return undefined;
      node = node[token];
    } else {
      if (!isObject(node) || !Object.hasOwn(node, token)) return undefined;
      node = node[token];
    }
  }
  return node;
}

/** STIX 2.1 §7.2.3.1 selector syntax: `a.b.[2].c`. */
export function formatPath(path: readonly PathToken[]): string {
  return path.map((t) => (typeof t === 'number' ? `[${t}]` : t)).join('.');
}

export function parseSelector(selector: string): PathToken[] | undefined {
  if (selector === '') return undefined;
  const tokens: PathToken[] = [];
  for (const part of selector.split('.')) {
    const m = /^\[(\d+)\]$/.exec(part);
    if (m) tokens.push(Number(m[1]));
    else if (part === '') return undefined;
    else tokens.push(part);
  }
  return tokens;
}
