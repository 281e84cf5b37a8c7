// GET /openapi.json: the OpenAPI 3.1 description (http/openapi/document.ts). No
// authentication: it describes the API and holds no data. The bytes are built once; they
// change only with the release, so clients revalidate (ETag) instead of caching blindly.
import { createHash } from 'node:crypto';
import type { Router } from 'express';
import { buildOpenApiDocument, OPENAPI_PATH, type OpenApiDocument } from '../openapi/document.js';

export function openApiRoutes(router: Router, document: OpenApiDocument = buildOpenApiDocument()) {
  const body = Buffer.from(JSON.stringify(document), 'utf8');
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
  router.get(OPENAPI_PATH, (req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('ETag', etag);
    const match = req.headers['if-none-match'];
    if (
      match !== undefined &&
      match.split(',').some((t) => ['*', etag].includes(t.trim().replace(/^W\//, '')))
    ) {
      res.status(304).end();
      return;
    }
    res.setHeader('Content-Type', 'application/json');
    res.status(200).end(body);
  });
}
