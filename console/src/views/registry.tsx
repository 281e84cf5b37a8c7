// Registry and policies, read-only: the running sharing model (groups, policies, protected
// entities) and the configuration file's sharing section checked now, with its errors as
// `stixgate policy check` prints them. The entity list is searchable.
import { useState } from 'preact/hooks';
import type { Api } from '../api.js';
import { searchEntities } from '../registry/search.js';
import type { EntityInfo, SharingPolicyAnswer } from '../types.js';
import { useLoad } from '../use-load.js';
import { Show } from './common.js';

export function RegistryView({ api }: { api: Api }) {
  const loaded = useLoad(() => api.get<SharingPolicyAnswer>('sharing/policy'), [api]);
  const [query, setQuery] = useState('');
  return (
    <section>
      <h2>Registry and policies</h2>
      <Show loaded={loaded}>
        {({ running, file }) => (
          <>
            <div
              class={file.valid ? 'check ok' : 'check bad'}
              data-check={file.valid ? 'valid' : 'invalid'}
            >
              {!file.checked ? (
                <p>No configuration file: the model in force comes from the environment.</p>
              ) : file.valid ? (
                <p>The configuration file's sharing section is valid.</p>
              ) : (
                <>
                  <p>
                    The configuration file's sharing section does not validate; the server keeps the
                    model below until it does:
                  </p>
                  <ul>
                    {file.errors.map((e) => (
                      <li key={e} class="mono" dir="auto">
                        {e}
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </div>
            <h3>Groups and policies</h3>
            <table class="grid" data-view="policies">
              <thead>
                <tr>
                  <th>Group</th>
                  <th>Policy</th>
                  <th>TLP ceiling</th>
                  <th>k</th>
                  <th>Time precision</th>
                  <th>Key epoch</th>
                  <th>Withheld types</th>
                  <th>Allowed</th>
                </tr>
              </thead>
              <tbody>
                {running.groups.map((g) => {
                  const p = running.policies.find((x) => x.id === g.policyId);
                  return (
                    <tr key={g.id} data-group={g.id}>
                      <td>
                        <div dir="auto">{g.name}</div>
                        <div class="muted mono">
                          {g.id}
                          {g.singleOrganization && ' · single organization'}
                        </div>
                      </td>
                      <td>
                        {g.policyId} {p && <span class="muted">rev {p.revision}</span>}
                      </td>
                      <td>{p?.tlpCeiling}</td>
                      <td>{p?.kAnonymity}</td>
                      <td>{p?.timePrecision}</td>
                      <td>{p?.keyEpoch}</td>
                      <td>{p?.withheldTypes.join(', ') || '–'}</td>
                      <td class="small">
                        {p &&
                          [
                            ['sources', p.allowedExternalSources],
                            ['properties', p.allowedCustomProperties],
                            ['extensions', p.allowedExtensions],
                            ['types', p.allowedCustomTypes],
                          ]
                            .filter(([, list]) => (list as string[]).length > 0)
                            .map(
                              ([name, list]) =>
                                `${name as string}: ${(list as string[]).join(', ')}`,
                            )
                            .join('; ')}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            <h3>
              Registry <span class="muted">revision {running.registry.revision}</span>
            </h3>
            <p class="muted">
              CERT identity: <span dir="auto">{running.registry.ownIdentity.name}</span> ·{' '}
              {running.registry.allowedIdentities.length} allowed identit(ies) ·{' '}
              {running.registry.allowedLocations.length} allowed location(s) ·{' '}
              {running.registry.allowedTerms.length} allowed term(s) · sector ladder:{' '}
              {Object.entries(running.registry.sectorLadder)
                .map(([from, to]) => `${from} → ${to}`)
                .join(', ') || 'none'}
            </p>
            <label class="search">
              Search entities{' '}
              <input
                type="search"
                name="entity-search"
                value={query}
                placeholder="name, domain, network, person…"
                dir="auto"
                onInput={(e) => setQuery(e.currentTarget.value)}
              />
            </label>
            <Entities
              entities={searchEntities(running.registry.entities, query)}
              total={running.registry.entities.length}
            />
          </>
        )}
      </Show>
    </section>
  );
}

function Entities({ entities, total }: { entities: EntityInfo[]; total: number }) {
  return (
    <>
      <p class="muted" data-entity-count={entities.length}>
        {entities.length} of {total} entit(ies)
      </p>
      <table class="grid" data-view="entities">
        <thead>
          <tr>
            <th>Entity</th>
            <th>Names</th>
            <th>Persons</th>
            <th>Domains and hosts</th>
            <th>Networks</th>
            <th>Sector</th>
          </tr>
        </thead>
        <tbody>
          {entities.map((e) => (
            <tr key={e.id} data-entity={e.id}>
              <td class="mono">{e.id}</td>
              <td>
                {[...e.names.en, ...e.names.fa, ...e.aliases, ...e.acronyms].map((n) => (
                  <div key={n} dir="auto">
                    {n}
                  </div>
                ))}
              </td>
              <td>
                {e.persons.map((n) => (
                  <div key={n} dir="auto">
                    {n}
                  </div>
                ))}
              </td>
              <td class="mono">
                {[...e.domains, ...e.emailDomains.map((d) => `@${d}`), ...e.hostnames].join(' ')}
              </td>
              <td class="mono">{[...e.cidrs, ...e.asNumbers.map((n) => `AS${n}`)].join(' ')}</td>
              <td>
                {e.sector ?? '–'}
                {e.country !== undefined && ` · ${e.country}`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
