import { describe, expect, it } from 'vitest';
import type { TextScanner } from '../../../../src/sharing/ports.js';
import { hasEgressLeak } from '../../../../src/sharing/rules/r13-egress.js';
import { PREPARED, VALIDATOR, isWithheld, run } from '../support.js';
import { seededMalware } from '../../../support/builders.js';

describe('R13 egress re-scan', () => {
  it('finds a protected term in serialized bytes, including JSON-escaped text', () => {
    expect(hasEgressLeak(JSON.stringify({ a: 'Kian Power' }), PREPARED.scanner)).toBe(true);
    expect(
      hasEgressLeak('{"a":"\\u0628\\u0631\\u0642 \\u06a9\\u06cc\\u0627\\u0646"}', PREPARED.scanner),
    ).toBe(true);
    expect(
      hasEgressLeak(JSON.stringify({ a: 'Victim-ABCDEFGH at 203.0.113.50' }), PREPARED.scanner),
    ).toBe(false);
  });

  it('withholds an object when the re-scan finds a hit in a field R6 does not scan', () => {
    // R6 never scans timestamps; a scanner that objects to this one shows that the egress
    // check looks at every string of the bytes that leave.
    const picky: TextScanner = {
      scan: (text) =>
        text === '2026-03-14T09:26:53.589Z' ? [{ start: 0, end: text.length, kind: 'entity' }] : [],
      containsProtected: () => false,
    };
    const m = seededMalware('m');
    const r = run([m], { tools: { scanner: picky, validator: VALIDATOR } });
    expect(isWithheld(r, m.id)).toBe(true);
    expect(r.withheld[0]!.reason).toMatch(/^R13/);
    expect(r.hits).toContainEqual({ rule: 'R13', path: '', operator: 'W', objectId: m.id });
  });
});
