// The sharing wiring of CLI commands (preview, export --as-group, policy): the sharing model and
// master key as the server loads them, but the key file is never created here (a CLI run must
// not invent the key the server will use): a missing file is an error.
import type { Config } from '../config/types.js';
import { readSharingMasterKey, type SharingMasterKey } from '../config/sharing-key.js';
import { ConfigError, NotFoundError } from '../errors.js';
import type { Principal } from '../auth/principal.js';
import type {
  AuditRecord,
  CollectionRecord,
  ObjectRecord,
  Store,
  Visibility,
} from '../store/types.js';
import { createStixValidator } from '../stix/validate.js';
import { createDerivedCache } from '../partner/derived-cache.js';
import { createSharingState, type SharingState } from '../partner/state.js';
import { createPartnerViewProvider } from '../partner/view.js';
import type { ReadView } from '../taxii/read-view.js';
import type { CliContext } from './context.js';

/** The master key as the server reads it, never created; undefined when no groups are declared. */
export function readCliMasterKey(config: Readonly<Config>): SharingMasterKey | undefined {
  return readSharingMasterKey(config, {
    create: false,
    ifMissing: 'create it with `stixgate keys init` (or start the server once), then back it up',
  });
}

export function cliSharingState(ctx: CliContext, config: Readonly<Config>): SharingState {
  const key = readCliMasterKey(config);
  if (config.sharing.groups.length === 0)
    throw new ConfigError('sharing.groups', 'no partner group is configured');
  return createSharingState(config.sharing, key?.secret);
}

export async function findCollection(
  store: Store,
  config: Readonly<Config>,
  ref: string,
  apiRoot?: string,
): Promise<CollectionRecord> {
  const root = apiRoot ?? config.discovery.defaultApiRoot ?? config.apiRoots[0]!.path;
  const collection = await store.getCollection(root, ref);
  if (!collection) throw new NotFoundError('collection', ref);
  return collection;
}

export { createStixValidator };

export interface ExportView {
  visibility?: Visibility;
  derive(records: ObjectRecord[]): Promise<ObjectRecord[]>;
  /** Appends the audit records of the export. */
  close(): Promise<void>;
}

/** `stixgate export --as-group G`: the partner view of group G, audited as `export.read` by `cli:export`. */
export function exportView(
  ctx: CliContext,
  store: Store,
  config: Readonly<Config>,
  group: string,
  collection: CollectionRecord,
): ExportView {
  const state = cliSharingState(ctx, config);
  if (!state.model.groups.some((g) => g.id === group)) throw new NotFoundError('group', group);
  const records: AuditRecord[] = [];
  const principal: Principal = { subject: 'cli:export', role: 'partner', groups: [group] };
  const provider = createPartnerViewProvider({
    store,
    validator: createStixValidator(),
    state: () => state,
    cache: createDerivedCache(0),
    audit: (event) =>
      records.push({ ...event, action: 'export.read', details: { ...event.details } }),
  });
  const view = provider(principal, collection) as ReadView;
  return {
    ...(view.visibility !== undefined && { visibility: view.visibility }),
    derive: (page) =>
      view.derive(page, {
        principal,
        collection,
        apiRoot: collection.apiRoot,
        now: Date.now() * 1000,
        surface: 'objects',
      }),
    close: () => store.appendAudit(records),
  };
}
