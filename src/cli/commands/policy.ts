// `stixgate policy check|show`: validates the configuration's sharing section (and that the
// master key file is readable) without starting a server, and lists groups, policies and
// revisions. Never prints key material.
import { BadRequestError } from '../../errors.js';
import { readConfig } from '../../config/read-config.js';
import { revisionsOf } from '../../partner/runtime.js';
import { parseCommandArgs } from '../args.js';
import type { CliContext } from '../context.js';
import { readCliMasterKey } from '../sharing-session.js';

export const usage = `usage: stixgate policy check|show [--json]
  check  validates the sharing section of STIXGATE_CONFIG and reads the master key file
  show   prints partner groups, their policies and the revisions in force`;

const OPTIONS = { json: { type: 'boolean' } } as const;

export async function run(argv: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, OPTIONS, usage);
  const action = positionals[0];
  if (values.help || action === undefined) {
    ctx.stdout.write(`${usage}\n`);
    return values.help ? 0 : 2;
  }
  if (action !== 'check' && action !== 'show')
    throw new BadRequestError(`unknown action "${action}"\n${usage}`);
  const config = readConfig(ctx.env);
  const keyFile = readCliMasterKey(config)?.file;
  const model = config.sharing;
  if (values.json) {
    ctx.stdout.write(
      `${JSON.stringify({ groups: model.groups, policies: model.policies, revisions: revisionsOf(model), key_file: keyFile ?? null }, null, 2)}\n`,
    );
    return 0;
  }
  if (action === 'check') {
    ctx.stdout.write(
      `sharing configuration valid: ${model.groups.length} group(s), ${model.policies.length} polic${model.policies.length === 1 ? 'y' : 'ies'}, ` +
        `${model.registry.entities.length} protected entit${model.registry.entities.length === 1 ? 'y' : 'ies'} (registry revision ${model.registry.revision})` +
        `${keyFile !== undefined ? `; master key readable at ${keyFile}` : ''}\n`,
    );
    return 0;
  }
  for (const g of model.groups) {
    const p = model.policies.find((x) => x.id === g.policyId)!;
    ctx.stdout.write(
      `${g.id}  ${JSON.stringify(g.name)}  policy=${p.id} revision=${p.revision} ceiling=${p.tlpCeiling} epoch=${p.keyEpoch}` +
        `${g.singleOrganization ? ' single-organization' : ''}${p.withheldTypes.length > 0 ? ` withheld-types=${p.withheldTypes.join(',')}` : ''}\n`,
    );
  }
  if (model.groups.length === 0)
    ctx.stdout.write('no partner groups (partners are served nothing)\n');
  ctx.stdout.write(
    `registry revision ${model.registry.revision}: ${model.registry.entities.length} protected entities\n`,
  );
  return 0;
}
