// `stixgate import FILE --collection ID`: loads a STIX bundle, a TAXII envelope or a single
// object through the same validation and write path as TAXII POST, in batches, with progress
// on a terminal. Exit code 1 when any object failed.
import { readFile } from 'node:fs/promises';
import { BadRequestError, NotFoundError } from '../../errors.js';
import { loadObjectValidator } from '../../main.js';
import { exceedsJsonDepth, MAX_JSON_DEPTH } from '../../stix/json-depth.js';
import { findInexactNumbers } from '../../stix/json-numbers.js';
import { auditedIds, createChangeRecorder } from '../../taxii/changes.js';
import { ingestObjects, numberRefusals } from '../../taxii/ingest.js';
import { parseCommandArgs, requireOption, requirePositional } from '../args.js';
import { cliPrincipal } from '../principal.js';
import type { CliContext } from '../context.js';
import { withStore } from '../store-session.js';

export const usage = `usage: stixgate import FILE --collection ID|ALIAS [--api-root ROOT] [--batch N] [--quiet]
  FILE holds a STIX 2.1 bundle, a TAXII 2.1 envelope or one STIX object ("-" reads stdin).`;

const OPTIONS = {
  collection: { type: 'string', short: 'c' },
  'api-root': { type: 'string' },
  batch: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
} as const;

export async function run(argv: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, OPTIONS, usage);
  if (values.help) {
    ctx.stdout.write(`${usage}\n`);
    return 0;
  }
  const file = requirePositional(positionals[0], 'FILE', usage);
  if (positionals.length > 1) throw new BadRequestError(`import takes one FILE\n${usage}`);
  const collectionRef = requireOption(values.collection, 'collection', usage);
  const batch = Number(values.batch ?? 500);
  if (!Number.isInteger(batch) || batch < 1 || batch > 10_000)
    throw new BadRequestError('--batch must be an integer between 1 and 10000');
  const text = await readInput(file);
  const { items, list } = extractObjects(text, file);
  // The same exactness rule as TAXII POST: an object with a number JSON.parse would change is
  // a failure of its own, reported below, never stored altered.
  const refused = numberRefusals(findInexactNumbers(text), list);

  return withStore(ctx, async (store, config) => {
    const apiRoot =
      values['api-root'] ?? config.discovery.defaultApiRoot ?? config.apiRoots[0]!.path;
    const collection = await store.getCollection(apiRoot, collectionRef);
    if (!collection) throw new NotFoundError('collection', collectionRef);
    const validator = await loadObjectValidator();
    const progress = ctx.stderr.isTTY === true && !values.quiet;
    const addedIds: string[] = [];
    let duplicates = 0;
    let failed = 0;
    for (let start = 0; start < items.length; start += batch) {
      const chunk = items.slice(start, start + batch);
      const refusedHere = new Map<number, string>();
      for (const [index, message] of refused) {
        if (index >= start && index < start + chunk.length) refusedHere.set(index - start, message);
      }
      const result = await ingestObjects(store, validator, collection, chunk, Date.now() * 1000, {
        refused: refusedHere,
      });
      addedIds.push(...result.tally.addedIds);
      duplicates += result.tally.duplicates;
      failed += result.failures.length;
      for (const failure of result.failures)
        ctx.stderr.write(
          `${progress ? '\r\x1b[K' : ''}failed ${failure.id} ${failure.version}: ${failure.message ?? ''}\n`,
        );
      if (progress)
        ctx.stderr.write(
          `\r\x1b[K${Math.min(start + batch, items.length)}/${items.length} objects`,
        );
    }
    if (progress) ctx.stderr.write('\n');
    await createChangeRecorder({
      store,
      now: () => Date.now() * 1000,
      onError: (error) =>
        ctx.stderr.write(
          `warning: the import is stored but its audit record was not written (${String(error)})\n`,
        ),
    })({
      principal: cliPrincipal(),
      source: 'cli',
      action: 'import',
      apiRoot: collection.apiRoot,
      collectionId: collection.id,
      details: {
        ...auditedIds(addedIds),
        added: addedIds.length,
        duplicates,
        failed,
        total: items.length,
      },
    });
    if (!values.quiet)
      ctx.stdout.write(
        `${items.length} objects read into ${collection.apiRoot}/${collection.id}: ${addedIds.length} added, ${duplicates} duplicates (already stored, unchanged), ${failed} failed\n`,
      );
    return failed > 0 ? 1 : 0;
  });
}

async function readInput(file: string): Promise<string> {
  if (file !== '-') return readFile(file, 'utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function extractObjects(
  text: string,
  file: string,
): { items: Record<string, unknown>[]; list: 'objects' | null } {
  if (exceedsJsonDepth(text))
    throw new BadRequestError(`${file} nests deeper than ${MAX_JSON_DEPTH} levels`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new BadRequestError(`${file} is not JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new BadRequestError(`${file} must hold a JSON object`);
  const doc = parsed as Record<string, unknown>;
  // A bundle (STIX 2.1 §8) and a TAXII envelope both carry `objects`; anything else with a
  // `type` is one object.
  const isList = doc.type === 'bundle' || !('type' in doc);
  const list: unknown = isList ? (doc.objects ?? []) : [doc];
  if (!Array.isArray(list)) throw new BadRequestError(`${file}: "objects" must be a list`);
  list.forEach((item, i) => {
    if (
      typeof item !== 'object' ||
      item === null ||
      Array.isArray(item) ||
      typeof (item as { id?: unknown }).id !== 'string'
    ) {
      throw new BadRequestError(`${file}: objects[${i}] is not a STIX object with an "id"`);
    }
  });
  return { items: list as Record<string, unknown>[], list: isList ? 'objects' : null };
}
