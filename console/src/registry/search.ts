// Registry search: an entity matches when any of its names, aliases, acronyms, persons,
// domains, hosts, networks, AS numbers, sector or identity ids contains the query. Persian
// and Arabic letter variants (ي/ی, ك/ک) and case are folded so that either spelling finds it.
import type { EntityInfo } from '../types.js';

export function fold(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u064a\u0649]/g, '\u06cc')
    .replace(/\u0643/g, '\u06a9')
    .replace(/\u200c|\u200d|\u0640/g, '')
    .toLowerCase();
}

export function entityTerms(e: EntityInfo): string[] {
  return [
    e.id,
    ...e.names.en,
    ...e.names.fa,
    ...e.aliases,
    ...e.acronyms,
    ...e.persons,
    ...e.domains,
    ...e.emailDomains,
    ...e.hostnames,
    ...e.cidrs,
    ...e.asNumbers.map(String),
    ...(e.sector !== undefined ? [e.sector] : []),
    ...(e.country !== undefined ? [e.country] : []),
    ...(e.region !== undefined ? [e.region] : []),
    ...e.identityIds,
  ];
}

export function searchEntities(entities: readonly EntityInfo[], query: string): EntityInfo[] {
  const q = fold(query.trim());
  if (q === '') return [...entities];
  return entities.filter((e) => entityTerms(e).some((t) => fold(t).includes(q)));
}
