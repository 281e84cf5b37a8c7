// Opens the configured store for one CLI command and always closes it, even on failure.
import { readConfig } from '../config/read-config.js';
import type { Config } from '../config/types.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/types.js';
import type { CliContext } from './context.js';

export async function withStore<T>(
  ctx: CliContext,
  use: (store: Store, config: Readonly<Config>) => Promise<T>,
): Promise<T> {
  const config = readConfig(ctx.env);
  const store = await openStore({
    dataDir: config.dataDir,
    ...(config.mongodbUri !== undefined && { mongodbUri: config.mongodbUri }),
  });
  try {
    return await use(store, config);
  } finally {
    await store.close();
  }
}
