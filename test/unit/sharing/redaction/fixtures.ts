// A fictional registry for the redaction tests: an invented ministry and an invented oil
// company, with documentation/example domains and private address ranges only.
import { createTextRedactor } from '../../../../src/sharing/redaction/index.js';
import type { RedactionRegistry, TextHit } from '../../../../src/sharing/redaction/index.js';

export const MOE = {
  id: 'moe',
  names: ['وزارت نیرو', 'Ministry of Energy'],
  aliases: ['Energy Ministry'],
  acronyms: ['MOE'],
  domains: ['moe.gov.example'],
  emailDomains: ['staff-moe.example'],
  hostnames: ['vpn-gw.moe-internal.example'],
  personNames: ['Ali Rezaei', 'علی رضایی'],
  cidrs: ['10.20.0.0/16', 'fd00:20::/32'],
};

export const PARSIA = {
  id: 'parsia',
  names: ['شرکت ملی نفت پارسیا', 'Parsia National Oil Company'],
  aliases: ['نفت پارسیا'],
  acronyms: ['PNOC'],
  domains: ['parsia-oil.example'],
  cidrs: ['172.16.5.0/24'],
};

export const REGISTRY: RedactionRegistry = {
  entities: [MOE, PARSIA],
  // A vendor whose name contains the protected acronym.
  allowTerms: ['Moe Security Labs'],
};

export const LABELS: Record<string, string> = {
  moe: 'Victim-QX7Z2K4R',
  parsia: 'Victim-J5T3W6YB',
};

export function labelFor(hit: TextHit): string {
  return LABELS[hit.entityId ?? ''] ?? 'Victim-UNKNOWN0';
}

export const redactor = createTextRedactor(REGISTRY);

/** Redacted text of `text` with the fixture labels. */
export function redacted(text: string): string {
  return redactor.redact(text, labelFor).text;
}
