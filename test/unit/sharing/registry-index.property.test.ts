// Property: the network owner found by the index is the first entity, in registry order,
// with a network overlapping the value (the definition, written here with `overlaps`).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeEntity, type ProtectedRegistry } from '../../../src/sharing/policy.js';
import { buildRegistryIndex, overlaps, parseNetwork } from '../../../src/sharing/registry-index.js';
import { REGISTRY } from './support.js';

const octet = fc.integer({ min: 0, max: 255 });
// Few distinct leading octets, so that networks and queries overlap often.
const v4 = fc
  .tuple(fc.constantFrom(10, 185, 192), fc.constantFrom(0, 51, 168), octet, octet)
  .map((o) => o.join('.'));
const cidr = fc.tuple(v4, fc.integer({ min: 0, max: 32 })).map(([a, p]) => `${a}/${p}`);
const v6 = fc.constantFrom('2a01:5ec0::/32', '2a01:5ec0:1fff::1', '::ffff:10.0.0.1', 'fe80::/10');

describe('registry index: networkOwner', () => {
  it('is the first entity in registry order whose network overlaps the value', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.oneof(cidr, v4, v6), { maxLength: 3 }), {
          minLength: 1,
          maxLength: 6,
        }),
        fc.oneof(cidr, v4, v6),
        (cidrsPerEntity, query) => {
          const registry: ProtectedRegistry = {
            ...REGISTRY,
            entities: cidrsPerEntity.map((cidrs, i) => makeEntity({ id: `e${i}`, cidrs })),
          };
          const q = parseNetwork(query)!;
          const expected = registry.entities.find((e) =>
            e.cidrs.some((c) => {
              const n = parseNetwork(c);
              return n !== undefined && overlaps(n, q);
            }),
          );
          expect(buildRegistryIndex(registry).networkOwner(query)?.id).toBe(expected?.id);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
