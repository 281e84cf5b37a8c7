// Reads a JSON request body with a hard byte limit enforced while streaming: the limit is
// checked against Content-Length before reading and against the bytes received as they
// arrive, so an oversized or endless body never gets buffered (TAXII 2.1 §4.2
// max_content_length → 413).
import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import { BadRequestError, PayloadTooLargeError } from '../errors.js';
import { exceedsJsonDepth, MAX_JSON_DEPTH } from '../stix/json-depth.js';
import { findInexactNumbers, type InexactNumber } from '../stix/json-numbers.js';
import { scanJsonText } from '../stix/json-scan.js';

export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const text = await readJsonText(req, maxBytes);
  if (exceedsJsonDepth(text, MAX_JSON_DEPTH)) throw tooDeep();
  return parseJsonText(text);
}

export interface ExactJsonBody {
  value: unknown;
  /** Numbers the parsed value does not hold exactly (the caller decides what to refuse). */
  inexactNumbers: InexactNumber[];
}

/** readJsonBody, also naming every number JSON.parse changed. */
export async function readExactJsonBody(
  req: IncomingMessage,
  maxBytes: number,
): Promise<ExactJsonBody> {
  const text = await readJsonText(req, maxBytes);
  // The depth guard and the number check in one pass; the numbers' paths only when one is off.
  const scan = scanJsonText(text, MAX_JSON_DEPTH);
  if (scan.tooDeep) throw tooDeep();
  const value = parseJsonText(text);
  return { value, inexactNumbers: scan.hasInexactNumber ? findInexactNumbers(text) : [] };
}

function tooDeep(): BadRequestError {
  return new BadRequestError(`the request body nests deeper than ${MAX_JSON_DEPTH} levels`);
}

async function readJsonText(req: IncomingMessage, maxBytes: number): Promise<string> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > maxBytes)
    throw new PayloadTooLargeError(maxBytes);
  const bytes = await new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const onData = (chunk: Buffer): void => {
      received += chunk.length;
      if (received > maxBytes) {
        cleanup();
        // Keep draining without storing, so the socket stays consistent for the 413 answer.
        req.resume();
        reject(new PayloadTooLargeError(maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(Buffer.concat(chunks, received));
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(new BadRequestError('the request body could not be read', { cause: error }));
    };
    // The client went away before the body ended: nothing to answer, but never hang.
    const onClose = (): void => {
      cleanup();
      reject(new BadRequestError('the request body ended early'));
    };
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
  // isUtf8 accepts exactly what a fatal TextDecoder decodes (well-formed UTF-8) and runs several
  // times faster; toString then cannot meet a malformed sequence. A leading byte order mark is
  // dropped, as the decoder does.
  if (!isUtf8(bytes)) throw new BadRequestError('the request body is not valid UTF-8');
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new BadRequestError('the request body is not valid JSON', { cause });
  }
}
