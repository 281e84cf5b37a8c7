// `stixgate version`: the package version, read from package.json next to src/ or dist/.
import { readFileSync } from 'node:fs';
import type { CliContext } from '../context.js';

export async function run(_argv: string[], ctx: CliContext): Promise<number> {
  const pkg = JSON.parse(
    readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'),
  ) as { version: string };
  ctx.stdout.write(`stixgate ${pkg.version}\n`);
  return 0;
}
