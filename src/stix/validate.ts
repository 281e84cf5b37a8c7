// STIX 2.1 object validation: our JSON Schemas (stix-schemas/, compiled once) plus the
// semantic rules of src/stix/rules/ that JSON Schema cannot express. See docs/validation.md.
import {
  IssueCollector,
  MAX_ISSUES,
  type ValidationIssue,
  type ValidationMode,
  type ValidationResult,
} from './issues.js';
import { customKindOf, kindOfType } from './object-types.js';
import { loadCompiledSchemas, type CompiledSchemas, type SchemaError } from './schema-registry.js';
import { checkCustomProperties } from './rules/custom-properties.js';
import { checkExtensions } from './rules/extensions.js';
import { checkGranularMarkings } from './rules/granular-markings.js';
import { checkIdentifiers } from './rules/identifiers.js';
import { checkLang } from './rules/lang.js';
import { checkMarkingSelfReference } from './rules/marking-self-reference.js';
import { checkObjectConstraints } from './rules/object-constraints.js';
import { checkPattern, type PatternParser } from './rules/pattern.js';
import { checkReferences } from './rules/references.js';
import { checkReservedProperties } from './rules/reserved-properties.js';
import { checkScoDeterministicId } from './rules/sco-deterministic-id.js';
import { checkTimeOrder } from './rules/time-order.js';
import { checkTimestampPrecision } from './rules/timestamp-precision.js';
import { checkTlpMarkings } from './rules/tlp-markings.js';
import { checkTypeName } from './rules/type-name.js';
import { checkUrls } from './rules/urls.js';
import { isRecord, type RuleContext } from './rules/context.js';
import { parsePattern } from './pattern/index.js';

export type { ValidationIssue, ValidationMode, ValidationResult } from './issues.js';

export interface StixValidatorOptions {
  /** extension-definition ids accepted in strict mode (the TLP 2.0 one is always known). */
  extensionDefinitions?: Iterable<string>;
  /** Replaces the STIX patterning parser (tests); `null` disables pattern parsing. */
  parsePattern?: PatternParser | null;
  /** Directory of the JSON Schemas; defaults to the repository's stix-schemas/. */
  schemaDir?: string;
}

/**
 * All validators of a process share one compilation of the schemas (done by the first
 * `createStixValidator` call, ~1 s); creating more validators is cheap.
 */
export interface StixValidator {
  /** One STIX object (not a bundle). */
  validateObject(obj: unknown, options: { mode: ValidationMode }): ValidationResult;
  /** The shape of a TAXII 2.1 envelope (§3.7) as POSTed; its objects are validated one by one. */
  validateEnvelope(body: unknown): ValidationResult;
  /** The shape of a STIX bundle (§8) as imported from a file; its objects are validated one by one. */
  validateBundle(body: unknown): ValidationResult;
}

function formatSchemaError(e: SchemaError): ValidationIssue {
  let path = e.instancePath;
  const p = e.params as Record<string, unknown>;
  if (e.keyword === 'required' && typeof p['missingProperty'] === 'string') {
    path += '/' + p['missingProperty'].replace(/~/g, '~0').replace(/\//g, '~1');
  } else if (e.keyword === 'dependentRequired' && typeof p['missingProperty'] === 'string') {
    path += '/' + p['missingProperty'];
  } else if (e.keyword === 'propertyNames' && typeof p['propertyName'] === 'string') {
    path += '/' + p['propertyName'];
  }
  const where = path === '' ? 'the object' : `property ${path.slice(1)}`;
  switch (e.keyword) {
    case 'required':
      return { code: 'required-property-missing', path, message: `${where}: required` };
    case 'dependentRequired':
      return {
        code: 'required-property-missing',
        path,
        message: `${where}: required when ${String(p['property'])} is present`,
      };
    case 'false schema':
      return { code: 'property-not-allowed', path, message: `${where}: not allowed here` };
    case 'type':
      return { code: 'property-type', path, message: `${where}: must be ${String(p['type'])}` };
    case 'const':
      return {
        code: 'property-value',
        path,
        message: `${where}: must be ${JSON.stringify(p['allowedValue'])}`,
      };
    case 'enum':
      return {
        code: 'enum-value',
        path,
        message: `${where}: must be one of ${(p['allowedValues'] as unknown[]).join(', ')} (closed vocabulary)`,
      };
    case 'format':
      if (p['format'] === 'stix-timestamp') {
        return {
          code: 'timestamp-invalid',
          path,
          message: `${where}: must be an RFC 3339 UTC timestamp ending in "Z" (STIX 2.1 §3.2)`,
        };
      }
      return {
        code: 'format-invalid',
        path,
        message: `${where}: must be a valid ${String(p['format'])}`,
      };
    case 'pattern':
      return {
        code: 'pattern-mismatch',
        path,
        message: `${where}: does not match the required syntax ${String(p['pattern'])}`,
      };
    case 'minItems':
      return { code: 'list-empty', path, message: `${where}: a list must not be empty` };
    case 'minProperties':
      return {
        code: 'dictionary-empty',
        path,
        message: `${where}: must have at least ${String(p['limit'])} entr${p['limit'] === 1 ? 'y' : 'ies'}`,
      };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return {
        code: 'value-out-of-range',
        path,
        message: `${where}: must be ${String(p['comparison'])} ${String(p['limit'])}`,
      };
    case 'minLength':
      return { code: 'string-empty', path, message: `${where}: must not be empty` };
    case 'propertyNames':
      // STIX 2.1 §2.7: hashes keys are 3–250 characters (other dictionaries allow shorter keys).
      if (
        e.schemaPath.includes('/hashes/') &&
        typeof p['propertyName'] === 'string' &&
        /^[a-zA-Z0-9_-]{1,2}$/.test(p['propertyName'])
      ) {
        return {
          code: 'hashes-key-too-short',
          path,
          message: `${where}: hash algorithm names are at least 3 characters (STIX 2.1 §2.7)`,
        };
      }
      return {
        code: 'key-invalid',
        path,
        message: `${where}: key not allowed (dictionary keys: a-z, A-Z, 0-9, "_" and "-", 1–250 characters)`,
      };
    case 'oneOf':
      return {
        code: 'exclusive-properties',
        path,
        message: `${where}: exactly one of ${alternatives(e)} must be present`,
      };
    case 'anyOf':
      return {
        code: 'alternative-missing',
        path,
        message: `${where}: at least one of ${alternatives(e)} must be present`,
      };
    default:
      return { code: `schema-${e.keyword}`, path, message: `${where}: ${e.message ?? 'invalid'}` };
  }
}

/** Names of the alternatives of an anyOf/oneOf made of `{ required: [...] }` branches. */
function alternatives(e: SchemaError): string {
  const branches = (e.schema ?? []) as unknown[];
  const names = branches.map((b) => {
    const required = isRecord(b) && Array.isArray(b['required']) ? (b['required'] as string[]) : [];
    return required.length > 0 ? required.join(' and ') : 'the alternative forms';
  });
  return names.join(', ');
}

// `if` errors only restate the `then`/`else` failures reported next to them.
const NOISE = new Set(['if']);

function reportSchemaErrors(
  issues: IssueCollector,
  errors: readonly SchemaError[] | null | undefined,
): void {
  if (!errors) return;
  // The branch failures under a failed anyOf/oneOf are restated by the anyOf/oneOf error itself.
  const combinators = errors
    .filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf')
    .map((e) => e.schemaPath + '/');
  for (const e of errors) {
    if (NOISE.has(e.keyword)) continue;
    // A failing key is reported once, by its propertyNames error.
    if (e.propertyName !== undefined && e.keyword !== 'propertyNames') continue;
    if (combinators.length > 0 && combinators.some((c) => e.schemaPath.startsWith(c))) continue;
    if (issues.errors.length >= MAX_ISSUES) return;
    const issue = formatSchemaError(e);
    issues.error(issue.code, issue.path, issue.message);
  }
}

export function createStixValidator(options: StixValidatorOptions = {}): StixValidator {
  const schemas: CompiledSchemas = loadCompiledSchemas(options.schemaDir);
  const knownExtensionDefinitions: ReadonlySet<string> = new Set(
    options.extensionDefinitions ?? [],
  );
  const parse: PatternParser | undefined =
    options.parsePattern === null ? undefined : (options.parsePattern ?? parsePattern);

  function validateObject(obj: unknown, { mode }: { mode: ValidationMode }): ValidationResult {
    const issues = new IssueCollector();
    if (!isRecord(obj)) {
      issues.error('not-an-object', '', 'the object: a STIX object must be a JSON object');
      return issues.result();
    }
    const type = obj['type'];
    if (typeof type !== 'string') {
      issues.error('type-missing', '/type', 'property type: required, a string');
      return issues.result();
    }
    if (type === 'bundle') {
      // STIX 2.1 §8: a bundle is not a STIX object and cannot be stored as one.
      issues.error(
        'bundle-not-allowed',
        '/type',
        'property type: a bundle is a transport wrapper, not a STIX object; send its objects',
      );
      return issues.result();
    }
    const specVersion = obj['spec_version'];
    if (specVersion !== undefined && specVersion !== '2.1') {
      issues.error(
        'spec-version-unsupported',
        '/spec_version',
        'property spec_version: only STIX 2.1 objects are accepted',
      );
      return issues.result();
    }
    const standardKind = kindOfType(type);
    const ctx: RuleContext = {
      object: obj,
      type,
      kind: standardKind ?? customKindOf(obj),
      isCustomType: standardKind === undefined,
      mode,
      issues,
      knownExtensionDefinitions,
    };
    if (!checkTypeName(ctx)) return issues.result();

    let validate = schemas.byType.get(type);
    if (validate === undefined) {
      validate =
        ctx.kind === 'sco'
          ? schemas.customSco
          : ctx.kind === undefined
            ? schemas.customObject
            : schemas.customSdo;
    }
    try {
      if (!validate(obj)) reportSchemaErrors(issues, validate.errors);
    } catch (error) {
      // Pathologically nested values (e.g. language-content translations) can exhaust the
      // stack of the recursive validator: refuse the object instead of failing the request.
      if (!(error instanceof RangeError)) throw error;
      issues.error('object-too-deep', '', 'the object: nested too deeply to validate');
      return issues.result();
    }

    checkIdentifiers(ctx);
    checkScoDeterministicId(ctx);
    checkTimeOrder(ctx);
    checkTimestampPrecision(ctx);
    checkReferences(ctx);
    checkMarkingSelfReference(ctx);
    checkReservedProperties(ctx);
    checkCustomProperties(ctx, schemas.knownProperties.get(type) ?? schemas.commonProperties);
    checkExtensions(ctx);
    checkGranularMarkings(ctx);
    checkTlpMarkings(ctx);
    checkLang(ctx);
    checkUrls(ctx, schemas.isRfc3986Uri);
    checkObjectConstraints(ctx);
    checkPattern(ctx, parse);
    return issues.result();
  }

  function validateWrapper(body: unknown, kind: 'envelope' | 'bundle'): ValidationResult {
    const issues = new IssueCollector();
    const name = kind === 'envelope' ? 'TAXII envelope' : 'STIX bundle';
    if (!isRecord(body)) {
      issues.error(`${kind}-not-object`, '', `the body: a ${name} must be a JSON object`);
      return issues.result();
    }
    if (kind === 'envelope' && body['type'] === 'bundle') {
      // TAXII 2.1 §3.7: clients POST an envelope {"objects": […]}, not a STIX bundle.
      issues.error(
        'envelope-is-bundle',
        '/type',
        'the body: this is a STIX bundle; TAXII 2.1 expects an envelope {"objects": [...]}',
      );
      return issues.result();
    }
    const validate = kind === 'envelope' ? schemas.envelope : schemas.bundle;
    if (!validate(body)) reportSchemaErrors(issues, validate.errors);
    if (kind === 'envelope' && body['objects'] === undefined) {
      issues.error(
        'envelope-objects-missing',
        '/objects',
        'property objects: required, a list of STIX objects',
      );
    }
    return issues.result();
  }

  return {
    validateObject,
    validateEnvelope: (body) => validateWrapper(body, 'envelope'),
    validateBundle: (body) => validateWrapper(body, 'bundle'),
  };
}
