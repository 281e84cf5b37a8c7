// The admin API (http/routes/admin/) as OpenAPI path items: admin role only, JSON in and out,
// errors as TAXII error messages. Its router is not strict: every path is also answered
// without its trailing slash.
import {
  header,
  jsonContent,
  pathParameter,
  schemaRef,
  TRANSPORT_ERRORS,
  type Json,
  operationBuilder,
} from './components.js';

/** Authentication, the admin-role check and the concurrency cap come before every route. */
const ADMIN_ERRORS = [...TRANSPORT_ERRORS, 401, 403, 429, 503];
/** Routes that read a JSON body. */
const BODY_ERRORS = [413, 415];

function query(name: string, description: string, required = false): Json {
  return { name, in: 'query', required, description, schema: { type: 'string' } };
}

const operation = operationBuilder('admin', ADMIN_ERRORS);

function ok(description: string, schema: string, headers?: Json): Json {
  return { description, ...(headers && { headers }), content: jsonContent(schemaRef(schema)) };
}

function body(schema: string): Json {
  return { requestBody: { required: true, content: jsonContent(schemaRef(schema)) } };
}

const apiRootFilter = query('api_root', 'Only the collections of this API root.');

export function adminPaths(): Record<string, Json> {
  return {
    '/admin/collections/': {
      get: operation(
        'adminListCollections',
        'Every collection with its rights',
        { '200': ok('The collections.', 'admin-collections') },
        [400, 404],
        { parameters: [apiRootFilter] },
      ),
      post: operation(
        'adminCreateCollection',
        'Create a collection (audited)',
        {
          '201': ok('The collection created.', 'admin-collection', {
            Location: header('Location', true),
          }),
        },
        [400, 409, ...BODY_ERRORS],
        body('admin-collection-input'),
      ),
    },
    '/admin/collection-counts/': {
      get: operation(
        'adminCountObjects',
        'Object count per collection',
        { '200': ok('The counts.', 'admin-collection-counts') },
        [400, 404],
        { parameters: [apiRootFilter] },
      ),
    },
    '/admin/collections/{apiRoot}/{collectionId}/': {
      parameters: [pathParameter('adminApiRoot'), pathParameter('adminCollectionId')],
      get: operation(
        'adminGetCollection',
        'One collection',
        { '200': ok('The collection.', 'admin-collection') },
        [404],
      ),
      put: operation(
        'adminUpdateCollection',
        'Replace a collection created through the API (audited)',
        { '200': ok('The collection as stored.', 'admin-collection') },
        [400, 404, 409, ...BODY_ERRORS],
        body('admin-collection-input'),
      ),
      delete: operation(
        'adminDeleteCollection',
        'Delete a collection created through the API, with its objects (audited)',
        { '200': ok('What was deleted.', 'admin-collection-deleted') },
        [404, 409],
      ),
    },
    '/admin/groups/': {
      get: operation(
        'adminListGroups',
        'The partner groups in force (declared in the configuration file)',
        { '200': ok('The groups.', 'admin-groups') },
        [],
      ),
    },
    '/admin/tokens/revoked/': {
      get: operation(
        'adminListRevokedTokens',
        'Every revoked token',
        { '200': ok('The revocations.', 'admin-revoked-tokens') },
        [],
      ),
      post: operation(
        'adminRevokeToken',
        'Revoke a token by its jti, on every instance (audited)',
        { '201': ok('The revocation.', 'admin-revoked-token') },
        [400, ...BODY_ERRORS],
        body('admin-revoke-input'),
      ),
    },
    '/admin/audit/': {
      get: operation(
        'adminReadAudit',
        'A page of the audit trail',
        { '200': ok('The records, oldest first.', 'admin-audit') },
        [400],
        {
          parameters: [
            query('since', 'A timestamp: records at or after it.'),
            query('until', 'A timestamp: records before it.'),
            query('actor', 'The principal (token subject).'),
            query('action', 'e.g. objects.read, objects.add, collection.create, token.revoke.'),
            query('collection', 'A collection id.'),
            query('group', 'A partner group id.'),
            query('after', 'The `next` of the previous page.'),
            query('limit', 'Records per page.'),
          ],
        },
      ),
    },
    '/admin/preview/': {
      get: operation(
        'adminPreview',
        'Objects as a partner group would receive them, beside the originals',
        { '200': ok('The preview.', 'admin-preview') },
        [400, 404],
        {
          parameters: [
            query('group', 'The partner group.', true),
            query('collection', 'The collection id.', true),
            query('id', 'Comma-separated STIX ids (instead of a page).'),
            query('api_root', 'Default: the default API root.'),
            query('added_after', 'A STIX timestamp.'),
            query('limit', 'Objects per page, 1 to 500 (default 50).'),
          ],
        },
      ),
    },
    '/admin/sharing/': {
      get: operation(
        'adminSharingState',
        'The sharing model in force, revisions and derived-cache figures',
        { '200': ok('The state.', 'admin-sharing') },
        [],
      ),
    },
    '/admin/sharing/policy/': {
      get: operation(
        'adminSharingPolicy',
        'The sharing model in force and the configuration file checked now',
        { '200': ok('The model.', 'admin-sharing-policy') },
        [400],
      ),
    },
    '/admin/sharing/reload/': {
      post: operation(
        'adminSharingReload',
        "Re-read the configuration file's sharing section (audited)",
        { '200': ok('The revisions before and after.', 'admin-sharing-reload') },
        [422],
        { description: 'No request body. A broken file answers 422 and the running model stays.' },
      ),
    },
  };
}
