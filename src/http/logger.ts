// The process logger: pino with credentials redacted wherever a header bag might be logged.
import { pino, type DestinationStream, type Logger } from 'pino';

export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'headers.authorization',
        'authorization',
        'req.headers.cookie',
      ],
      censor: '[redacted]',
    },
    base: { service: 'stixgate' },
  };
  return destination ? pino(options, destination) : pino(options);
}
