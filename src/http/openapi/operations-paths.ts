// The operational endpoints: health, readiness, metrics on the main listener, and this
// document. No stixgate token (metrics has a token of its own), no data.
import {
  errorResponses,
  header,
  JSON_MEDIA_TYPE,
  jsonContent,
  schemaRef,
  TRANSPORT_ERRORS,
  type Json,
} from './components.js';

/** prom-client's exposition format. */
export const METRICS_MEDIA_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
const TEXT_MEDIA_TYPE = 'text/plain; charset=utf-8';

function operation(operationId: string, summary: string, responses: Json, extra: Json = {}): Json {
  return { tags: ['operations'], operationId, summary, security: [], ...extra, responses };
}

export function operationsPaths(): Record<string, Json> {
  return {
    '/healthz': {
      get: operation('health', 'Liveness and store reachability', {
        '200': { description: 'The store answers.', content: jsonContent(schemaRef('health')) },
        '503': {
          description: 'The store does not answer.',
          content: jsonContent(schemaRef('health')),
        },
        ...errorResponses(TRANSPORT_ERRORS),
      }),
    },
    '/readyz': {
      get: operation('readiness', 'Readiness: store, configuration, sharing model, key files', {
        '200': { description: 'Every check passes.', content: jsonContent(schemaRef('readiness')) },
        '503': {
          description: 'At least one check fails (which one is in the body, why in the log).',
          content: jsonContent(schemaRef('readiness')),
        },
        ...errorResponses(TRANSPORT_ERRORS),
      }),
    },
    '/metrics': {
      get: operation(
        'metrics',
        'Prometheus metrics of this instance',
        {
          '200': {
            description: 'The Prometheus text exposition.',
            content: { [METRICS_MEDIA_TYPE]: { schema: { type: 'string' } } },
          },
          '401': {
            description: 'The metrics token is missing or wrong.',
            headers: { 'WWW-Authenticate': header('WWW-Authenticate', true) },
            content: { [TEXT_MEDIA_TYPE]: { schema: { type: 'string' } } },
          },
          ...errorResponses([...TRANSPORT_ERRORS, 404]),
        },
        {
          description:
            'Served here only when STIXGATE_METRICS_TOKEN_FILE is set and no dedicated metrics port is (STIXGATE_METRICS_PORT: then there, without token, bound to its own address). Otherwise this path answers 404.',
          security: [{ metricsToken: [] }],
        },
      ),
    },
    '/openapi.json': {
      get: operation('openapi', 'This document', {
        '200': {
          description: 'The OpenAPI 3.1 description of this server.',
          headers: { ETag: header('ETag', true), 'Cache-Control': header('Cache-Control', true) },
          content: { [JSON_MEDIA_TYPE]: { schema: { type: 'object' } } },
        },
        '304': {
          description: 'If-None-Match names the current ETag.',
          headers: { ETag: header('ETag', true) },
        },
        ...errorResponses([...TRANSPORT_ERRORS, 503]),
      }),
    },
  };
}
