// JSON Schemas (2020-12) of the bodies stixgate defines itself: the admin API and the
// operational endpoints. The TAXII resources are not here: they come from
// docs/schemas/taxii/ (resource-schemas.ts). Each schema carries an $id so that the OpenAPI
// document can embed it unchanged and a validator can load it by that id.
import type { ResourceSchema } from './resource-schemas.js';

export const SERVICE_SCHEMA_BASE = 'https://schemas.stixgate.invalid/stixgate/';
const TAXII = '../taxii-2.1/common.json#/$defs/';

const ROLES = ['admin', 'analyst', 'partner'];
const TLP = ['clear', 'green', 'amber', 'amber+strict', 'red'];
/** Admin timestamps come from Date#toISOString (millisecond precision). */
const ISO_TIME = { type: 'string', format: 'date-time' };
const COUNT = { type: 'integer', minimum: 0 };

function schema(name: string, body: Record<string, unknown>): [string, ResourceSchema] {
  return [
    name,
    {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: `${SERVICE_SCHEMA_BASE}${name}.json`,
      ...body,
    },
  ];
}

function object(
  required: readonly string[],
  properties: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { type: 'object', required, properties, additionalProperties: false, ...extra };
}

const access = object(['roles', 'groups'], {
  roles: { type: 'array', items: { enum: ROLES } },
  groups: { type: 'array', items: { type: 'string' } },
});

const revisions = object(['policies', 'registry', 'keyEpochs', 'groups'], {
  policies: { type: 'object', additionalProperties: COUNT },
  registry: COUNT,
  keyEpochs: { type: 'object', additionalProperties: COUNT },
  groups: { type: 'array', items: { type: 'string' } },
});

const grant = object(['api_root', 'id', 'title'], {
  api_root: { type: 'string' },
  id: { type: 'string' },
  title: { type: 'string' },
});

const SCHEMAS: [string, ResourceSchema][] = [
  schema('health', {
    title: 'Liveness and store reachability (GET /healthz)',
    ...object(['status', 'backend'], {
      status: { enum: ['ok', 'unavailable'] },
      backend: { enum: ['sqlite', 'mongodb'] },
    }),
  }),
  schema('readiness', {
    title: 'Readiness per dependency (GET /readyz); failure reasons go to the log only',
    ...object(['status', 'checks'], {
      status: { enum: ['ready', 'not_ready'] },
      checks: { type: 'object', additionalProperties: { enum: ['ok', 'failing'] } },
    }),
  }),
  schema('admin-collection', {
    title: 'A collection as the admin API shows it (the configuration file shape)',
    ...object(
      [
        'id',
        'api_root',
        'title',
        'read',
        'write',
        'validation',
        'default_tlp',
        'created',
        'source',
      ],
      {
        id: { $ref: `${TAXII}identifier` },
        api_root: { type: 'string' },
        title: { type: 'string' },
        description: { type: 'string' },
        alias: { type: 'string' },
        read: { $ref: '#/$defs/access' },
        write: { $ref: '#/$defs/access' },
        validation: { enum: ['strict', 'permissive'] },
        default_tlp: { enum: TLP },
        partner_title: { type: 'string' },
        partner_description: { type: 'string' },
        created: ISO_TIME,
        source: {
          enum: ['config', 'api'],
          description: 'config: declared in the configuration file, changed only there.',
        },
      },
      { $defs: { access } },
    ),
  }),
  schema('admin-collection-input', {
    title: 'A collection definition sent to POST or PUT /admin/collections/…',
    description:
      'The configuration file shape. id defaults to a new UUID on POST and must equal the path on PUT; created and source are read-only (accepted and ignored on PUT).',
    ...object(['title'], {
      id: { $ref: `${TAXII}identifier` },
      api_root: { type: 'string' },
      title: { type: 'string' },
      description: { type: 'string' },
      alias: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._~-]{0,63}$' },
      read: { $ref: 'admin-collection.json#/$defs/access' },
      write: { $ref: 'admin-collection.json#/$defs/access' },
      validation: { enum: ['strict', 'permissive'], default: 'permissive' },
      default_tlp: { enum: TLP, default: 'amber' },
      partner_title: { type: 'string' },
      partner_description: { type: 'string' },
      created: ISO_TIME,
      source: { enum: ['config', 'api'] },
    }),
  }),
  schema('admin-collections', {
    title: 'The collections of every API root (or of one, ?api_root=)',
    ...object(['collections'], {
      collections: { type: 'array', items: { $ref: 'admin-collection.json' } },
    }),
  }),
  schema('admin-collection-counts', {
    title: 'Object counts per collection',
    ...object(['collections'], {
      collections: {
        type: 'array',
        items: object(['api_root', 'id', 'objects'], {
          api_root: { type: 'string' },
          id: { type: 'string' },
          objects: COUNT,
        }),
      },
    }),
  }),
  schema('admin-collection-deleted', {
    title: 'A deleted collection and how many objects went with it',
    ...object(['deleted', 'objects'], { deleted: { type: 'string' }, objects: COUNT }),
  }),
  schema('admin-groups', {
    title: 'The partner groups in force and the collections each may read or write',
    ...object(['groups'], {
      groups: {
        type: 'array',
        items: object(['id', 'can_read', 'can_write'], {
          id: { type: 'string' },
          name: { type: 'string' },
          policy: { type: 'string' },
          single_organization: { type: 'boolean' },
          can_read: { type: 'array', items: grant },
          can_write: { type: 'array', items: grant },
        }),
      },
    }),
  }),
  schema('admin-revoked-token', {
    title: 'A revoked token (permanent)',
    ...object(['jti', 'revoked_at'], {
      jti: { type: 'string' },
      revoked_at: ISO_TIME,
      expires_at: ISO_TIME,
      reason: { type: 'string' },
    }),
  }),
  schema('admin-revoke-input', {
    title: 'A token to revoke, by its jti',
    ...object(['jti'], {
      jti: { type: 'string', pattern: '^[\\x21-\\x7e]{1,256}$' },
      reason: { type: 'string', maxLength: 500 },
      expires_at: {
        type: 'string',
        format: 'date-time',
        description: 'When the token expires anyway; lets the store forget the revocation then.',
      },
    }),
  }),
  schema('admin-revoked-tokens', {
    title: 'Every revoked token',
    ...object(['revoked'], {
      revoked: { type: 'array', items: { $ref: 'admin-revoked-token.json' } },
    }),
  }),
  schema('admin-audit', {
    title: 'A page of the audit trail',
    ...object(['more', 'records'], {
      more: { type: 'boolean' },
      next: { type: 'string', description: 'Send as ?after= for the next page.' },
      records: {
        type: 'array',
        items: object(['at', 'actor', 'role', 'groups', 'action'], {
          seq: COUNT,
          at: { $ref: `${TAXII}timestamp` },
          actor: { type: 'string' },
          role: { enum: ROLES },
          groups: { type: 'array', items: { type: 'string' } },
          action: { type: 'string' },
          api_root: { type: 'string' },
          collection: { type: 'string' },
          group: { type: 'string' },
          policy_revision: COUNT,
          served: {
            type: 'array',
            items: object(['original', 'derived'], {
              original: { type: 'string' },
              derived: { type: 'string' },
            }),
          },
          rule_hits: { type: 'array', items: { $ref: 'admin-preview.json#/$defs/change' } },
          withheld: COUNT,
          details: { type: 'object' },
        }),
      },
    }),
  }),
  schema('admin-preview', {
    title: 'Objects of a collection as a partner group would receive them, beside the originals',
    ...object(
      ['group', 'collection', 'api_root', 'policy', 'registry_revision', 'more', 'objects'],
      {
        group: { type: 'string' },
        collection: { type: 'string' },
        api_root: { type: 'string' },
        policy: object(['id', 'revision'], { id: { type: 'string' }, revision: COUNT }),
        registry_revision: COUNT,
        more: { type: 'boolean' },
        last_date_added: { $ref: `${TAXII}timestamp` },
        objects: {
          type: 'array',
          items: {
            type: 'object',
            required: ['original_id', 'original', 'changes'],
            properties: {
              original_id: { type: 'string' },
              original: { type: 'object' },
              derived_id: { type: 'string' },
              derived: { type: 'object' },
              withheld: { type: 'string', description: 'Why the object is not served.' },
              changes: { type: 'array', items: { $ref: '#/$defs/change' } },
            },
            additionalProperties: false,
            oneOf: [
              {
                type: 'object',
                properties: { derived_id: true, derived: true },
                required: ['derived_id', 'derived'],
              },
              { type: 'object', properties: { withheld: true }, required: ['withheld'] },
            ],
          },
        },
      },
      {
        $defs: {
          change: {
            description: 'One rule applied at one field path; never the matched text.',
            type: 'object',
            required: ['rule', 'path', 'operator'],
            properties: {
              rule: { type: 'string' },
              path: { type: 'string' },
              operator: { type: 'string' },
              reason: { type: 'string' },
              objectId: { type: 'string' },
            },
            additionalProperties: false,
          },
        },
      },
    ),
  }),
  schema('admin-sharing', {
    title:
      'The sharing model in force: groups, revisions, derived-cache figures (never key material)',
    ...object(
      [
        'groups',
        'revisions',
        'key_configured',
        'cache',
        'page_cache',
        'audit_pending',
        'generated_at',
      ],
      {
        groups: {
          type: 'array',
          items: {
            type: 'object',
            required: ['id'],
            properties: {
              id: { type: 'string' },
              name: { type: 'string' },
              policy: { type: 'string' },
              single_organization: { type: 'boolean' },
            },
            additionalProperties: false,
          },
        },
        revisions: { $ref: '#/$defs/revisions' },
        key_configured: { type: 'boolean' },
        cache: object(['entries', 'bytes', 'max_bytes', 'hits', 'misses', 'evictions'], {
          entries: COUNT,
          bytes: COUNT,
          max_bytes: COUNT,
          hits: COUNT,
          misses: COUNT,
          evictions: COUNT,
        }),
        page_cache: object(['entries', 'bytes', 'max_bytes', 'hits', 'misses'], {
          entries: COUNT,
          bytes: COUNT,
          max_bytes: COUNT,
          hits: COUNT,
          misses: COUNT,
        }),
        audit_pending: COUNT,
        generated_at: { $ref: `${TAXII}timestamp` },
      },
      { $defs: { revisions } },
    ),
  }),
  schema('admin-sharing-policy', {
    title: 'The sharing model in force and the configuration file checked now',
    ...object(['running', 'revisions', 'file'], {
      running: {
        type: 'object',
        description: 'Groups, policies and registry as loaded (the key file location omitted).',
      },
      revisions: { $ref: 'admin-sharing.json#/$defs/revisions' },
      file: object(['checked', 'valid', 'errors'], {
        checked: { type: 'boolean' },
        valid: { type: 'boolean' },
        errors: { type: 'array', items: { type: 'string' } },
      }),
    }),
  }),
  schema('admin-sharing-reload', {
    title: 'The revisions before and after a reload of the sharing section',
    ...object(['reloaded', 'previous', 'current'], {
      reloaded: { const: true },
      previous: { $ref: 'admin-sharing.json#/$defs/revisions' },
      current: { $ref: 'admin-sharing.json#/$defs/revisions' },
    }),
  }),
];

/** Schema name → schema; each has an $id under SERVICE_SCHEMA_BASE. */
export function serviceSchemas(): ReadonlyMap<string, ResourceSchema> {
  return new Map(SCHEMAS);
}
