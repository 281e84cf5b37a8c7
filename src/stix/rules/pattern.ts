// Indicator patterns (STIX 2.1 §4.7, §9): a `stix` pattern must parse. Other pattern types
// (snort, suricata, yara, sigma, pcre…) are stored without parsing.
import { pointer } from '../issues.js';
import type { RuleContext } from './context.js';

/** Throws on a malformed pattern; `position` is the 0-based offset of the problem. */
export type PatternParser = (text: string) => unknown;

function positionOf(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null && 'position' in error) {
    const p = (error as { position: unknown }).position;
    if (typeof p === 'number') return p;
  }
  return undefined;
}

export function checkPattern(ctx: RuleContext, parse: PatternParser | undefined): void {
  if (ctx.type !== 'indicator' || parse === undefined) return;
  const o = ctx.object;
  if (o['pattern_type'] !== 'stix' || typeof o['pattern'] !== 'string') return;
  try {
    parse(o['pattern']);
  } catch (error) {
    const position = positionOf(error);
    if (position === undefined && !(error instanceof Error)) throw error;
    // The parser's message names the expected token and position; it does not echo the pattern.
    const detail = error instanceof Error ? error.message : 'syntax error';
    ctx.issues.error(
      'pattern-invalid',
      pointer('pattern'),
      `property pattern: not a valid STIX pattern (${detail})`,
    );
  }
}
