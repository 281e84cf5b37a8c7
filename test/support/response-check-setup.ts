// Per test file of the HTTP suites: writes how many responses the TAXII 2.1 check and the
// OpenAPI check saw, for the run summary global-setup.ts prints.
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, inject } from 'vitest';
import { openApiChecks, openApiSeen, recorded, responseChecks } from './taxii-conformance.js';

declare module 'vitest' {
  export interface ProvidedContext {
    responseCheckDir: string;
  }
}

afterAll(() => {
  appendFileSync(
    path.join(inject('responseCheckDir'), `${process.pid}.jsonl`),
    `${JSON.stringify({ ...responseChecks, openapi: openApiChecks, seen: [...openApiSeen], recorded })}\n`,
  );
});
