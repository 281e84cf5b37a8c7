// Option parsing shared by the commands: node's parseArgs with errors that say which option.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { BadRequestError } from '../errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export function parseCommandArgs<T extends Options>(argv: string[], options: T, usage: string) {
  try {
    return parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new BadRequestError(`${(error as Error).message}\n${usage}`);
  }
}

export function requireOption(value: string | undefined, name: string, usage: string): string {
  if (value === undefined || value === '')
    throw new BadRequestError(`--${name} is required\n${usage}`);
  return value;
}

/** `a,b` and repeated options both give lists. */
export function listOption(values: string | string[] | undefined): string[] {
  const all = values === undefined ? [] : Array.isArray(values) ? values : [values];
  return all
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/** Commands that take no positional arguments say so instead of ignoring them. */
export function refusePositionals(positionals: string[], usage: string): void {
  if (positionals.length > 0)
    throw new BadRequestError(`unexpected argument "${positionals[0]}"\n${usage}`);
}

export function requirePositional(value: string | undefined, name: string, usage: string): string {
  if (value === undefined || value === '') throw new BadRequestError(`missing ${name}\n${usage}`);
  return value;
}
