// Builds what derive() needs once per registry revision: the registry index and the text
// scanner over the registry (SHARING-TEXT's redactor: normalizer + Aho-Corasick + detectors).
import {
  createTextRedactor,
  type RedactionRegistry,
  type TextRedactor,
} from './redaction/index.js';
import type { ProtectedRegistry } from './policy.js';
import { buildRegistryIndex, type RegistryIndex } from './registry-index.js';

/** Our own pseudonym labels must never count as hits (the egress scan sees them). */
export const LABEL_PATTERN = /Victim-[A-Z2-7]{8}/g;

export function toRedactionRegistry(registry: ProtectedRegistry): RedactionRegistry {
  return {
    entities: registry.entities.map((e) => ({
      id: e.id,
      names: [...e.names.fa, ...e.names.en],
      aliases: e.aliases,
      acronyms: e.acronyms,
      domains: e.domains,
      emailDomains: e.emailDomains,
      hostnames: e.hostnames,
      personNames: e.persons,
      cidrs: e.cidrs,
      asNumbers: e.asNumbers,
      nationalIds: e.nationalIds,
      phones: e.phones,
      postalCodes: e.postalCodes,
    })),
    allowTerms: [registry.ownIdentity.name, ...registry.allowedTerms],
  };
}

export function createRegistryScanner(registry: ProtectedRegistry): TextRedactor {
  return createTextRedactor(toRedactionRegistry(registry), { ignorePatterns: [LABEL_PATTERN] });
}

export interface PreparedRegistry {
  registry: ProtectedRegistry;
  index: RegistryIndex;
  scanner: TextRedactor;
}

export function prepareRegistry(registry: ProtectedRegistry): PreparedRegistry {
  return {
    registry,
    index: buildRegistryIndex(registry),
    scanner: createRegistryScanner(registry),
  };
}
