// The TAXII 2.1 endpoints (§4, §5) and stixgate's revoke extension as OpenAPI path items.
// Query parameters come from the table the filter parser enforces (taxii/filter.ts), so the
// document lists exactly what each endpoint accepts.
import { ENDPOINT_PARAMS } from '../../taxii/filter.js';
import { TAXII_MEDIA_TYPE } from '../media-type.js';
import {
  filterParameters,
  header,
  pathParameter,
  taxiiContent,
  taxiiSchema,
  TOKEN_SECURITY,
  TRANSPORT_ERRORS,
  type Json,
  operationBuilder,
} from './components.js';

/** Every TAXII request after the routing checks: authentication, Accept, busy, lookup. */
const TAXII_ERRORS = [...TRANSPORT_ERRORS, 401, 404, 406, 429, 503];
/** Endpoints of one collection add the per-operation permission check. */
const COLLECTION_ERRORS = [...TAXII_ERRORS, 403];

const DATE_HEADERS = {
  'X-TAXII-Date-Added-First': header('X-TAXII-Date-Added-First'),
  'X-TAXII-Date-Added-Last': header('X-TAXII-Date-Added-Last'),
};

/** manifest and versions pages carry `next` too: stixgate pages every list with cursors. */
function withNext(resource: string): Json {
  return {
    allOf: [
      taxiiSchema(resource),
      {
        type: 'object',
        properties: {
          next: { type: 'string', description: 'stixgate extension: the cursor of the next page.' },
        },
      },
    ],
  };
}

function ok(description: string, schema: Json, headers?: Json): Json {
  return { description, ...(headers && { headers }), content: taxiiContent(schema) };
}

const operation = operationBuilder('TAXII 2.1');

const METHOD_NOT_ALLOWED =
  'Any other method answers 405 Method Not Allowed with `Allow` listing the methods of the path (a TAXII error message).';

function item(parameters: Json[], description: string, operations: Json): Json {
  return {
    description: `${description} ${METHOD_NOT_ALLOWED}`,
    ...(parameters.length > 0 && { parameters }),
    ...operations,
  };
}

const root = pathParameter('apiRoot');
const collection = pathParameter('collectionId');
const object = pathParameter('objectId');

export function taxiiPaths(): Record<string, Json> {
  return {
    '/taxii2/': item([], 'TAXII 2.1 §4.1 discovery.', {
      get: operation(
        'getDiscovery',
        'Server discovery: the API roots',
        { '200': ok('The discovery resource.', taxiiSchema('discovery')) },
        [...TRANSPORT_ERRORS, 401, 406, 429, 503],
        {
          description:
            'Authenticated unless the configuration sets `discovery.public: true` (then anonymous).',
          security: [...TOKEN_SECURITY, {}],
        },
      ),
    }),
    '/{apiRoot}/': item([root], 'TAXII 2.1 §4.2 API root.', {
      get: operation(
        'getApiRoot',
        'API root information',
        { '200': ok('The API root resource.', taxiiSchema('api-root')) },
        TAXII_ERRORS,
      ),
    }),
    '/{apiRoot}/status/{statusId}/': item(
      [root, pathParameter('statusId')],
      'TAXII 2.1 §4.3 status of a POST; a status is visible to the principal that made the request.',
      {
        get: operation(
          'getStatus',
          'Status of an add-objects request',
          { '200': ok('The status resource.', taxiiSchema('status')) },
          TAXII_ERRORS,
        ),
      },
    ),
    '/{apiRoot}/collections/': item([root], 'TAXII 2.1 §5.1 collections.', {
      get: operation(
        'getCollections',
        'The collections the caller can read or write',
        {
          '200': ok(
            'The collections resource (empty object when none).',
            taxiiSchema('collections'),
          ),
        },
        TAXII_ERRORS,
      ),
    }),
    '/{apiRoot}/collections/{collectionId}/': item(
      [root, collection],
      'TAXII 2.1 §5.2 collection.',
      {
        get: operation(
          'getCollection',
          'One collection',
          { '200': ok('The collection resource.', taxiiSchema('collection')) },
          TAXII_ERRORS,
        ),
      },
    ),
    '/{apiRoot}/collections/{collectionId}/manifest/': item(
      [root, collection],
      'TAXII 2.1 §5.3 object manifests.',
      {
        get: operation(
          'getManifest',
          'Manifest records of the objects',
          { '200': ok('A manifest page.', withNext('manifest'), DATE_HEADERS) },
          COLLECTION_ERRORS,
          {
            description: `Accept may also name application/stix+json;version=2.1 (§5.3); the answer is always ${TAXII_MEDIA_TYPE}.`,
            parameters: filterParameters(ENDPOINT_PARAMS.manifest),
          },
        ),
      },
    ),
    '/{apiRoot}/collections/{collectionId}/objects/': item(
      [root, collection],
      'TAXII 2.1 §5.4 and §5.5 objects.',
      {
        get: operation(
          'getObjects',
          'Objects of the collection (partners: as their sharing policy derives them)',
          { '200': ok('An envelope page.', taxiiSchema('envelope'), DATE_HEADERS) },
          COLLECTION_ERRORS,
          { parameters: filterParameters(ENDPOINT_PARAMS.objects) },
        ),
        post: operation(
          'addObjects',
          'Add objects',
          { '202': ok('The status of the request.', taxiiSchema('status')) },
          [...COLLECTION_ERRORS, 413, 415, 422],
          {
            description:
              'Each object is validated on its own: one refused object is a failure in the status, not a refusal of the envelope.',
            requestBody: { required: true, content: taxiiContent(taxiiSchema('envelope')) },
          },
        ),
      },
    ),
    '/{apiRoot}/collections/{collectionId}/objects/{objectId}/': item(
      [root, collection, object],
      'TAXII 2.1 §5.6 and §5.7 one object.',
      {
        get: operation(
          'getObject',
          'The versions of one object',
          { '200': ok('An envelope page.', taxiiSchema('envelope'), DATE_HEADERS) },
          COLLECTION_ERRORS,
          { parameters: filterParameters(ENDPOINT_PARAMS.object) },
        ),
        delete: operation(
          'deleteObject',
          'Delete an object (the selected versions)',
          { '200': { description: 'Deleted; no content (§5.7).' } },
          COLLECTION_ERRORS,
          { parameters: filterParameters(ENDPOINT_PARAMS.objectDelete) },
        ),
      },
    ),
    '/{apiRoot}/collections/{collectionId}/objects/{objectId}/versions/': item(
      [root, collection, object],
      'TAXII 2.1 §5.8 object versions.',
      {
        get: operation(
          'getVersions',
          'The version timestamps of one object',
          { '200': ok('A versions page.', withNext('versions'), DATE_HEADERS) },
          COLLECTION_ERRORS,
          { parameters: filterParameters(ENDPOINT_PARAMS.versions) },
        ),
      },
    ),
    '/{apiRoot}/collections/{collectionId}/objects/{objectId}/revoke/': item(
      [root, collection, object],
      'stixgate extension, not TAXII 2.1: adds a `revoked: true` version of the latest version.',
      {
        post: operation(
          'revokeObject',
          'Revoke an object',
          { '202': ok('The status of the added version.', taxiiSchema('status')) },
          [...COLLECTION_ERRORS, 422],
          { description: 'No request body.' },
        ),
      },
    ),
  };
}
