// `stixgate export --collection ID`: writes a STIX 2.1 bundle of a collection to stdout,
// streamed page by page in date_added order from the stored bytes (raw: an operator's tool).
import { randomUUID } from 'node:crypto';
import { NotFoundError } from '../../errors.js';
import type { VersionSelector } from '../../store/types.js';
import { DEFAULT_SPEC_VERSIONS } from '../../taxii/filter.js';
import { parseCommandArgs, requireOption } from '../args.js';
import type { CliContext } from '../context.js';
import { withStore } from '../store-session.js';
import { exportView } from '../sharing-session.js';

export const usage = `usage: stixgate export --collection ID|ALIAS [--api-root ROOT] [--all-versions] [--as-group G]
  Writes a STIX 2.1 bundle to stdout: the latest version of each object, or every version.
  Raw by default (an operator's tool); --as-group G writes what partner group G would receive
  (derived by the sharing engine, audited as export.read).`;

const OPTIONS = {
  collection: { type: 'string', short: 'c' },
  'api-root': { type: 'string' },
  'all-versions': { type: 'boolean' },
  'as-group': { type: 'string' },
} as const;

const PAGE = 1000;

export async function run(argv: string[], ctx: CliContext): Promise<number> {
  const { values } = parseCommandArgs(argv, OPTIONS, usage);
  if (values.help) {
    ctx.stdout.write(`${usage}\n`);
    return 0;
  }
  const collectionRef = requireOption(values.collection, 'collection', usage);
  const versions: VersionSelector = values['all-versions']
    ? { kind: 'all' }
    : { kind: 'some', first: false, last: true, versions: [] };
  return withStore(ctx, async (store, config) => {
    const apiRoot =
      values['api-root'] ?? config.discovery.defaultApiRoot ?? config.apiRoots[0]!.path;
    const collection = await store.getCollection(apiRoot, collectionRef);
    if (!collection) throw new NotFoundError('collection', collectionRef);
    // SHARING WIRING: --as-group reads through the partner view (pushdown + derive), like TAXII.
    const view =
      values['as-group'] === undefined
        ? undefined
        : exportView(ctx, store, config, values['as-group'], collection);
    await write(ctx, `{"type":"bundle","id":"bundle--${randomUUID()}","objects":[`);
    let addedAfter: number | undefined;
    let first = true;
    for (;;) {
      const page = await store.query(collection.id, {
        versions,
        specVersions: DEFAULT_SPEC_VERSIONS,
        limit: PAGE,
        ...(addedAfter !== undefined && { addedAfter }),
        ...(view?.visibility !== undefined && { visibility: view.visibility }),
      });
      for (const record of view === undefined ? page.records : await view.derive(page.records)) {
        await write(ctx, (first ? '\n' : ',\n') + record.json);
        first = false;
      }
      const last = page.records.at(-1);
      if (!page.more || last === undefined) break;
      addedAfter = last.dateAdded;
    }
    await write(ctx, '\n]}\n');
    await view?.close();
    return 0;
  });
}

/** Respects back-pressure so that exporting a large collection does not buffer it all. */
function write(ctx: CliContext, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (ctx.stdout.write(text)) resolve();
    else {
      ctx.stdout.once('drain', resolve);
      ctx.stdout.once('error', reject);
    }
  });
}
