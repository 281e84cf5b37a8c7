// Content shaped like MISP (misp-stix), OpenCTI and MITRE ATT&CK exports must pass permissive
// mode, the default for collections: custom objects, x_ properties and property extensions.
import { describe, it, expect } from 'vitest';
import {
  TLP2_GREEN_ID,
  idOf,
  makeAttackPattern,
  makeIdentity,
  makeIndicator,
  makeIpv4Addr,
  makeStatementMarking,
  makeRelationship,
  uuid5,
} from '../../support/builders.js';
import { errorCodes, permissive, strict, warningCodes } from './support.js';

const T = '2024-03-01T10:00:00.000Z';
const OPENCTI_EXT = 'extension-definition--ea279b3e-5c71-4632-ac08-831c66a786ba';
const TLP1_WHITE = 'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9';

function custom(type: string, props: Record<string, unknown>): Record<string, unknown> {
  return { type, spec_version: '2.1', id: idOf(type), created: T, modified: T, ...props };
}

describe('MISP-style content', () => {
  it('accepts an indicator with misp labels, a misp-category kill chain and x_misp properties', () => {
    const indicator = makeIndicator({
      labels: ['misp:type="ip-dst"', 'misp:category="Network activity"', 'misp:to_ids="True"'],
      kill_chain_phases: [{ kill_chain_name: 'misp-category', phase_name: 'Network activity' }],
      pattern_version: '2.1',
      object_marking_refs: [TLP1_WHITE],
      x_misp_category: 'Network activity',
      x_misp_comment: 'C2',
    });
    expect(permissive(indicator)).toEqual({ ok: true });
  });

  it('accepts x-misp-attribute and x-misp-object custom objects', () => {
    expect(
      permissive(
        custom('x-misp-attribute', {
          labels: ['misp:type="phone-number"'],
          x_misp_type: 'phone-number',
          x_misp_value: '+1 555 0100',
          created_by_ref: idOf('identity'),
        }),
      ),
    ).toEqual({ ok: true });
    expect(
      permissive(
        custom('x-misp-object', {
          x_misp_name: 'person',
          x_misp_attributes: [{ type: 'text', object_relation: 'first-name', value: 'x' }],
        }),
      ),
    ).toEqual({ ok: true });
  });

  it('accepts MISP tag markings as statements', () => {
    expect(
      permissive(
        makeStatementMarking({
          name: 'misp:tool="misp2stix"',
          definition: { statement: 'misp:tool="misp2stix"' },
        }),
      ),
    ).toEqual({ ok: true });
  });

  it('refuses the same custom objects in strict mode', () => {
    expect(errorCodes(strict(custom('x-misp-attribute', { x_misp_type: 'text' })))).toContain(
      'type-unknown',
    );
  });
});

describe('OpenCTI-style content', () => {
  it('accepts an indicator with x_opencti properties and the OpenCTI property extension', () => {
    const indicator = makeIndicator({
      confidence: 100,
      revoked: false,
      x_opencti_score: 50,
      x_opencti_detection: false,
      x_mitre_platforms: ['windows'],
      x_opencti_main_observable_type: 'IPv4-Addr',
      object_marking_refs: [TLP2_GREEN_ID],
      extensions: {
        [OPENCTI_EXT]: {
          extension_type: 'property-extension',
          id: 'b0e0…',
          type: 'Indicator',
          score: 50,
          is_inferred: false,
        },
      },
    });
    expect(permissive(indicator)).toEqual({ ok: true });
  });

  it('accepts an SCO with x_opencti properties, a custom _ref and the OpenCTI extension', () => {
    const ip = makeIpv4Addr({
      x_opencti_score: 50,
      x_opencti_created_by_ref: idOf('identity'),
      extensions: { [OPENCTI_EXT]: { extension_type: 'property-extension', score: 50 } },
    });
    expect(permissive(ip)).toEqual({ ok: true });
  });

  it('accepts deterministic UUIDv5 SDO ids with a warning', () => {
    const identity = makeIdentity({
      id: `identity--${uuid5()}`,
      identity_class: 'class',
      x_opencti_organization_type: 'vendor',
    });
    expect(warningCodes(permissive(identity))).toEqual(['id-uuid-not-v4']);
  });
});

describe('MITRE ATT&CK-style content', () => {
  it('accepts an attack-pattern with x_mitre properties and citation references', () => {
    const ap = makeAttackPattern({
      external_references: [
        {
          source_name: 'mitre-attack',
          external_id: 'T1566.001',
          url: 'https://attack.mitre.org/techniques/T1566/001',
        },
        {
          source_name: 'Vendor Blog',
          description: 'Vendor. (2023). Report.',
          url: 'https://example.com/blog/phishing',
        },
      ],
      kill_chain_phases: [{ kill_chain_name: 'mitre-attack', phase_name: 'initial-access' }],
      x_mitre_is_subtechnique: true,
      x_mitre_platforms: ['Windows'],
      x_mitre_version: '2.0',
      x_mitre_domains: ['enterprise-attack'],
    });
    expect(permissive(ap)).toEqual({ ok: true });
  });

  it('accepts x-mitre custom objects and relationships from them', () => {
    expect(
      permissive(
        custom('x-mitre-tactic', { name: 'Initial Access', x_mitre_shortname: 'initial-access' }),
      ),
    ).toEqual({ ok: true });
    expect(
      permissive(
        makeRelationship({
          relationship_type: 'detects',
          source_ref: idOf('x-mitre-data-component'),
          target_ref: idOf('attack-pattern'),
        }),
      ),
    ).toEqual({ ok: true });
  });
});
