// One line for every failure an operator can cause or fix (missing file, port in use,
// permissions, unreachable store), saying what is wrong and what to do. Stack traces are for
// bugs, and only with STIXGATE_DEBUG=1.
import { StixgateError } from '../errors.js';

interface SystemError {
  code?: unknown;
  path?: unknown;
  address?: unknown;
  port?: unknown;
  syscall?: unknown;
  name?: unknown;
  message?: unknown;
}

function field(error: SystemError, key: keyof SystemError): string | undefined {
  const value = error[key];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

function currentUser(): string {
  const uid = process.getuid?.();
  return uid === undefined ? 'the server user' : `uid ${uid}`;
}

/** A one-line explanation of an anticipated failure, or undefined for a bug. */
export function describeFailure(error: unknown): string | undefined {
  if (error instanceof StixgateError) return error.message;
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as SystemError;
  const code = field(e, 'code');
  const file = field(e, 'path');
  switch (code) {
    case 'ENOENT':
      return `${file ?? 'a file'} does not exist: check the path (relative paths are resolved from ${process.cwd()})`;
    case 'EISDIR':
      return `${file ?? 'the path'} is a directory: give a file`;
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      if (field(e, 'syscall') === 'listen')
        return `not allowed to listen on port ${field(e, 'port') ?? '?'}: use a port above 1023 (--port or PORT)`;
      return `permission denied on ${file ?? 'a file'} for ${currentUser()}: make it readable and writable by that user (in Docker, chown the bind-mounted directory to the image's user, uid 1000)`;
    case 'EADDRINUSE':
      return `${field(e, 'address') ?? 'the address'}:${field(e, 'port') ?? '?'} is already in use: stop the other process or choose another port (--port or PORT)`;
    case 'EADDRNOTAVAIL':
      return `${field(e, 'address') ?? 'the address'} is not an address of this machine: check --host or HOST`;
    case 'ENOSPC':
      return `no space left on the device holding ${file ?? 'the data directory'}: free some space`;
    case 'SQLITE_CANTOPEN':
      return 'cannot open the SQLite database: check that DATA_DIR exists and is writable';
    case 'SQLITE_NOTADB':
    case 'SQLITE_CORRUPT':
      return 'the SQLite file is not a stixgate database (or is damaged): check DATA_DIR';
    default:
      break;
  }
  const name = field(e, 'name') ?? '';
  if (/^Mongo(ServerSelection|Network|Topology|ParseError|InvalidArgument)/.test(name)) {
    const message = (field(e, 'message') ?? '').split('\n')[0];
    return `cannot reach MongoDB (${message}): check MONGODB_URI and that the server is running`;
  }
  return undefined;
}
