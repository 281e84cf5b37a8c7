// `stixgate healthcheck`: the container HEALTHCHECK. It reads the same configuration as
// `serve` (port, TLS) and asks /healthz on the loopback interface, so the probe keeps working
// when TLS is turned on. The certificate is not verified: the probe sends no credentials and
// only learns whether this process answers; the certificate names the public host, not
// 127.0.0.1.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { readConfig } from '../../main.js';
import { parseCommandArgs } from '../args.js';
import type { CliContext } from '../context.js';

export const usage = `usage: stixgate healthcheck [--timeout SECONDS]

Asks GET /healthz of the server configured by the environment (PORT, STIXGATE_CONFIG, TLS)
on the loopback address; exit 0 when it answers 200, 1 otherwise. Used by the Dockerfile.`;

function probeHost(host: string): string {
  // A wildcard bind answers on loopback; a specific address must be asked directly.
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '::1';
  return host;
}

export async function run(argv: string[], ctx: CliContext): Promise<number> {
  const { values } = parseCommandArgs(argv, { timeout: { type: 'string' } }, usage);
  if (values.help) {
    ctx.stdout.write(`${usage}\n`);
    return 0;
  }
  const timeoutMs = Math.max(1, Number(values.timeout ?? '4')) * 1000;
  const config = readConfig(ctx.env);
  const request = config.tls ? httpsRequest : httpRequest;
  const status = await new Promise<number | string>((resolve) => {
    const req = request(
      {
        host: probeHost(config.host),
        port: config.port,
        path: '/healthz',
        method: 'GET',
        timeout: timeoutMs,
        ...(config.tls && { rejectUnauthorized: false }),
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (error) => resolve(error.message));
    req.end();
  });
  if (status === 200) {
    ctx.stdout.write('healthy\n');
    return 0;
  }
  ctx.stderr.write(
    `stixgate healthcheck: /healthz ${typeof status === 'number' ? `answered ${status}` : `failed: ${status}`}\n`,
  );
  return 1;
}
