// `stixgate collection create|list`: manage collections in the store from the terminal.
import { randomUUID } from 'node:crypto';
import { parseCollectionSeed } from '../../config/load-config.js';
import { BadRequestError } from '../../errors.js';
import { collectionRecordOf } from '../../taxii/seed-collections.js';
import { listOption, parseCommandArgs, requireOption } from '../args.js';
import { createChangeRecorder } from '../../taxii/changes.js';
import type { CliContext } from '../context.js';
import { cliPrincipal } from '../principal.js';
import { withStore } from '../store-session.js';

export const usage = `usage:
  stixgate collection list [--api-root ROOT] [--json]
  stixgate collection create --title TITLE [--id UUID] [--api-root ROOT] [--alias ALIAS]
      [--description TEXT] [--read-roles analyst,partner] [--read-groups G,…]
      [--write-roles analyst] [--write-groups G,…] [--validation permissive|strict]
      [--default-tlp clear|green|amber|amber+strict|red]
      [--partner-title TEXT] [--partner-description TEXT]`;

const OPTIONS = {
  'api-root': { type: 'string' },
  json: { type: 'boolean' },
  title: { type: 'string' },
  id: { type: 'string' },
  alias: { type: 'string' },
  description: { type: 'string' },
  'read-roles': { type: 'string', multiple: true },
  'read-groups': { type: 'string', multiple: true },
  'write-roles': { type: 'string', multiple: true },
  'write-groups': { type: 'string', multiple: true },
  validation: { type: 'string' },
  'default-tlp': { type: 'string' },
  'partner-title': { type: 'string' },
  'partner-description': { type: 'string' },
} as const;

export async function run(argv: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, OPTIONS, usage);
  const action = positionals[0];
  if (values.help || action === undefined) {
    ctx.stdout.write(`${usage}\n`);
    return values.help ? 0 : 2;
  }
  if (action === 'list') return list(values, ctx);
  if (action === 'create') return create(values, ctx);
  throw new BadRequestError(`unknown action "${action}"\n${usage}`);
}

type Values = ReturnType<typeof parseCommandArgs<typeof OPTIONS>>['values'];

async function list(values: Values, ctx: CliContext): Promise<number> {
  return withStore(ctx, async (store) => {
    const collections = await store.listCollections(values['api-root']);
    if (values.json) {
      ctx.stdout.write(`${JSON.stringify(collections, null, 2)}\n`);
      return 0;
    }
    for (const c of collections) {
      const counts = await store.countObjects(c.id);
      const access = `read ${[...c.read.roles, ...c.read.groups.map((g) => `group:${g}`)].join(',') || '-'}; write ${[...c.write.roles, ...c.write.groups.map((g) => `group:${g}`)].join(',') || '-'}`;
      ctx.stdout.write(
        `${c.apiRoot}/${c.id}${c.alias ? ` (${c.alias})` : ''}  ${JSON.stringify(c.title)}  ${counts} object versions; ${access}\n`,
      );
    }
    if (collections.length === 0) ctx.stdout.write('no collections\n');
    return 0;
  });
}

async function create(values: Values, ctx: CliContext): Promise<number> {
  return withStore(ctx, async (store, config) => {
    const raw: Record<string, unknown> = {
      id: values.id ?? randomUUID(),
      api_root: values['api-root'] ?? config.discovery.defaultApiRoot,
      title: requireOption(values.title, 'title', usage),
      read: {
        roles: listOption(values['read-roles'] ?? 'analyst'),
        groups: listOption(values['read-groups']),
      },
      write: {
        roles: listOption(values['write-roles'] ?? 'analyst'),
        groups: listOption(values['write-groups']),
      },
    };
    const optional = {
      alias: 'alias',
      description: 'description',
      validation: 'validation',
      default_tlp: 'default-tlp',
      partner_title: 'partner-title',
      partner_description: 'partner-description',
    } as const;
    for (const [key, option] of Object.entries(optional)) {
      const value = values[option];
      if (value !== undefined) raw[key] = value;
    }
    const seed = parseCollectionSeed(raw, 'collection', config.apiRoots);
    if (await store.getCollection(seed.apiRoot, seed.id))
      throw new BadRequestError(`collection ${seed.id} already exists`);
    await store.putCollection(collectionRecordOf(seed, Date.now() * 1000));
    await createChangeRecorder({
      store,
      now: () => Date.now() * 1000,
      onError: (error) =>
        ctx.stderr.write(
          `warning: created, but the audit record was not written (${String(error)})\n`,
        ),
    })({
      principal: cliPrincipal(),
      source: 'cli',
      action: 'collection.create',
      apiRoot: seed.apiRoot,
      collectionId: seed.id,
      details: { ...(seed.alias !== undefined && { alias: seed.alias }) },
    });
    ctx.stdout.write(
      `created collection ${seed.id} in API root ${seed.apiRoot}${seed.alias ? ` (alias ${seed.alias})` : ''}\n`,
    );
    return 0;
  });
}
