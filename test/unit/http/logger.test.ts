// The process logger never writes credentials.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/http/logger.js';

describe('createLogger', () => {
  it('redacts Authorization headers wherever a header bag is logged', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const log = createLogger('info', sink);
    log.info({ req: { headers: { authorization: 'Bearer secret-token' } } }, 'request');
    log.info({ headers: { authorization: 'Basic c2VjcmV0' } }, 'request');
    expect(lines.join('')).not.toMatch(/secret-token|c2VjcmV0/);
    expect(lines.join('')).toContain('[redacted]');
  });
});
