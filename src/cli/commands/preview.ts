// `stixgate preview --group G --collection C [--id ID…]`: what a partner group would receive
// (R14), beside the originals, each change annotated by rule, field path and operator. Readable
// text by default, `--json` for the same document as GET /admin/preview.
import { BadRequestError, NotFoundError } from '../../errors.js';
import { parseStixTimestamp } from '../../stix/timestamp.js';
import { previewForGroup } from '../../partner/preview.js';
import { describePreview, formatPreviewText } from '../../partner/preview-format.js';
import { listOption, parseCommandArgs, requireOption } from '../args.js';
import type { CliContext } from '../context.js';
import { cliSharingState, createStixValidator, findCollection } from '../sharing-session.js';
import { withStore } from '../store-session.js';

export const usage = `usage: stixgate preview --group G --collection ID|ALIAS [--id ID,…] [--api-root ROOT]
      [--added-after TIMESTAMP] [--limit N] [--json]
  Shows the latest version of each object (or of the named ones) as partner group G would
  receive it, beside the original, with every change annotated (rule, field path, operator).`;

const OPTIONS = {
  group: { type: 'string', short: 'g' },
  collection: { type: 'string', short: 'c' },
  id: { type: 'string', multiple: true },
  'api-root': { type: 'string' },
  'added-after': { type: 'string' },
  limit: { type: 'string' },
  json: { type: 'boolean' },
} as const;

export async function run(argv: string[], ctx: CliContext): Promise<number> {
  const { values } = parseCommandArgs(argv, OPTIONS, usage);
  if (values.help) {
    ctx.stdout.write(`${usage}\n`);
    return 0;
  }
  const group = requireOption(values.group, 'group', usage);
  const collectionRef = requireOption(values.collection, 'collection', usage);
  const ids = values.id === undefined ? undefined : listOption(values.id);
  const limit = values.limit === undefined ? 50 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
    throw new BadRequestError(`--limit must be 1 to 10000\n${usage}`);
  let addedAfter: number | undefined;
  if (values['added-after'] !== undefined) {
    addedAfter = parseStixTimestamp(values['added-after']);
    if (addedAfter === undefined)
      throw new BadRequestError(`--added-after must be a STIX timestamp\n${usage}`);
  }
  return withStore(ctx, async (store, config) => {
    const state = cliSharingState(ctx, config);
    const collection = await findCollection(store, config, collectionRef, values['api-root']);
    const preview = await previewForGroup({
      state,
      store,
      validator: createStixValidator(),
      groupId: group,
      collection,
      ...(ids !== undefined && { ids }),
      ...(addedAfter !== undefined && { addedAfter }),
      limit: ids === undefined ? limit : Math.max(ids.length, 1),
    });
    if (preview === undefined) throw new NotFoundError('group', group);
    ctx.stdout.write(
      values.json
        ? `${JSON.stringify(describePreview(preview, collection), null, 2)}\n`
        : formatPreviewText(preview, collection),
    );
    return 0;
  });
}
