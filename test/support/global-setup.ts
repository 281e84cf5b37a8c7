// Vitest global setup: starts shared test services once per run and stops them at teardown.
// MongoDB: MONGODB_URI when set, else an in-memory jongodb on a free port. Vitest runs this
// once per project, in one process; acquireSharedMongo makes that one server for the whole
// run, stopped after the last project's teardown (and killed by its watchdog if the run is).
// Test files read the URI with inject('mongodbUri') (see test/support/mongo-server.ts).
// It also gives each project a folder where response-check-setup.ts leaves the counts of
// TAXII 2.1 and OpenAPI response checks, summed and printed at the project's teardown.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { acquireSharedMongo } from './mongo-server.js';
import { documentedResponses } from './openapi-check.js';

function summarizeResponseChecks(project: string, dir: string): void {
  const total = { files: 0, checked: 0, skipped: 0, violations: 0 };
  const openapi = { operations: 0, outside: 0, skipped: 0, violations: 0 };
  const recorded = new Set<string>();
  const seen = new Set<string>();
  for (const file of readdirSync(dir)) {
    for (const line of readFileSync(path.join(dir, file), 'utf8').split('\n')) {
      if (line === '') continue;
      const c = JSON.parse(line) as {
        checked: number;
        skipped: number;
        violations: number;
        openapi?: typeof openapi;
        seen?: string[];
        recorded?: string[];
      };
      for (const v of c.recorded ?? []) recorded.add(v);
      for (const r of c.seen ?? []) seen.add(r);
      total.files++;
      total.checked += c.checked;
      total.skipped += c.skipped;
      total.violations += c.violations;
      for (const key of Object.keys(openapi) as (keyof typeof openapi)[])
        openapi[key] += c.openapi?.[key] ?? 0;
    }
  }
  rmSync(dir, { recursive: true, force: true });
  if (total.files === 0) return;
  process.stdout.write(
    `[${project}] TAXII 2.1 response check: ${total.checked} responses checked, ` +
      `${total.violations} with violations, ${total.skipped} non-TAXII skipped (${total.files} files)\n`,
  );
  process.stdout.write(
    `[${project}] OpenAPI response check: ${openapi.operations + openapi.outside} responses checked ` +
      `(${openapi.operations} of documented operations, ${openapi.outside} errors on undocumented ` +
      `paths or methods), ${openapi.violations} with violations, ${openapi.skipped} skipped (console, no response)\n`,
  );
  const documented = documentedResponses();
  const met = documented.filter((r) => seen.has(r));
  process.stdout.write(
    `[${project}] OpenAPI responses met: ${met.length} of ${documented.length} documented ` +
      `(operation, status) pairs; operations met: ` +
      `${new Set(met.map((r) => r.split(' ')[0])).size} of ${new Set(documented.map((r) => r.split(' ')[0])).size}\n`,
  );
  if (process.env.STIXGATE_OPENAPI_UNMET === '1')
    process.stdout.write(
      `[${project}] documented responses no test met:\n  ${documented.filter((r) => !seen.has(r)).join('\n  ')}\n`,
    );
  if (recorded.size > 0)
    process.stdout.write(
      `[${project}] violations recorded:\n  ${[...recorded].sort().join('\n  ')}\n`,
    );
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const { mongo, release } = await acquireSharedMongo();
  project.provide('mongodbUri', mongo.uri);
  project.provide('mongodbServer', mongo.server);
  const checks = mkdtempSync(path.join(os.tmpdir(), 'stixgate-response-checks-'));
  project.provide('responseCheckDir', checks);
  return async () => {
    summarizeResponseChecks(project.name, checks);
    await release();
  };
}
