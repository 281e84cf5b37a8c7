// One red-team attempt per leak class of the sharing engine, over real HTTP as a partner: text
// hidden in an encoding, in non-ASCII numerals, in SCO ids derived from victim values, in AS
// numbers, in the address map, in registry numbers with a bad checksum; and withholding for
// doubt that an admin must be able to see. The fictional victim is the incident's "Kian Power
// Company" (test/http/sharing-incident.ts), with registry numbers added here.
import { randomBytes, randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEnvelope, makeIndicator, makeMalware } from '../support/builders.js';
import { scoId } from '../support/sco-ids.js';
import { TEST_CONFIG, startTestServer, type TestServer } from '../support/start-server.js';
import type { TaxiiResponse } from '../support/taxii-client.js';
import {
  GREEN,
  PROTECTED_TERMS,
  sharedPath,
  sharingConfig,
  writeMasterKey,
} from './sharing-incident.js';

type Obj = Record<string, unknown> & { id: string; type: string };
type Envelope = { objects?: Obj[] };

const green = { object_marking_refs: [GREEN] };
const VICTIM_AS = 44244;
const NATIONAL_ID = '4311234567'; // check digit should be 2: a bad checksum
const SPACE_V4 = '198.18.7.0/24';
const ATTACKER_RANGES = ['203.0.113.', '198.51.100.'];

const sco = (type: string, props: Record<string, unknown>): Obj =>
  ({ type, spec_version: '2.1', id: scoId(type, props), ...props, ...green }) as Obj;

// --- planted objects --------------------------------------------------------------------------

const hidden = 'iwr http://scada-gw.kianpower.ir/a -Credential KPC\\dkarimi; Kian Power';
const encoded = Buffer.from(hidden, 'utf16le').toString('base64');
const encProcess: Obj = {
  type: 'process',
  spec_version: '2.1',
  id: `process--${randomUUID()}`,
  command_line: `powershell -enc ${encoded}`,
  ...green,
};

const attackerIndicator = makeIndicator({
  name: 'Staging address',
  pattern: "[ipv4-addr:value = '203.0.113.60']",
  description: 'Staging server of the operator',
  ...green,
});

const PERSIAN_ADDRESS = '۱۰٫۲۰٫۳٫۴'; // 10.20.3.4, Extended Arabic-Indic digits, U+066B
const persianNote: Obj = {
  type: 'note',
  spec_version: '2.1',
  id: `note--${randomUUID()}`,
  created: '2026-03-02T00:00:00.000Z',
  modified: '2026-03-02T00:00:00.000Z',
  content: `مهاجم از ۲۰۳٫۰٫۱۱۳٫۵۰ به سرور ${PERSIAN_ADDRESS} وصل شد`,
  object_refs: [attackerIndicator.id],
  ...green,
};

const victimIp = sco('ipv4-addr', { value: '10.20.3.4' });
const attackerIp = sco('ipv4-addr', { value: '203.0.113.50' });
const flow = sco('network-traffic', {
  src_ref: victimIp.id,
  dst_ref: attackerIp.id,
  dst_port: 443,
  protocols: ['ipv4', 'tcp'],
});
const victimDir = sco('directory', { path: '/srv/kianpower.ir/www' });
const webshell = sco('file', { name: 'up.php', parent_directory_ref: victimDir.id });

const asMalware = makeMalware({
  name: 'RouteHopper',
  description: `Beacons from AS${VICTIM_AS}, ASN ${VICTIM_AS} and AS-${VICTIM_AS} to AS13335`,
  ...green,
});

const nationalIdNote: Obj = {
  type: 'note',
  spec_version: '2.1',
  id: `note--${randomUUID()}`,
  created: '2026-03-03T00:00:00.000Z',
  modified: '2026-03-03T00:00:00.000Z',
  content: `Phished account owner, national code ${NATIONAL_ID}; کد ملی ${[...NATIONAL_ID].map((d) => String.fromCharCode(0x06f0 + Number(d))).join('')}`,
  object_refs: [attackerIndicator.id],
  ...green,
};

const opaque = randomBytes(96).toString('base64');
const opaqueNote: Obj = {
  type: 'note',
  spec_version: '2.1',
  id: `note--${randomUUID()}`,
  created: '2026-03-04T00:00:00.000Z',
  modified: '2026-03-04T00:00:00.000Z',
  content: `Dropped blob: ${opaque}`,
  object_refs: [attackerIndicator.id],
  ...green,
};
const sigma = makeIndicator({
  name: 'Sigma rule',
  pattern_type: 'sigma',
  pattern: 'detection:\n  sel:\n    DestinationHostname: mail.kianpower.ir\n  condition: sel',
  ...green,
});

const planted = [
  encProcess,
  persianNote,
  victimIp,
  attackerIp,
  flow,
  victimDir,
  webshell,
  asMalware,
  attackerIndicator,
  nationalIdNote,
  opaqueNote,
  sigma,
];

// --- harness ----------------------------------------------------------------------------------

let server: TestServer;
let keyDir: string;

beforeAll(async () => {
  const key = await writeMasterKey();
  keyDir = key.dir;
  const config = sharingConfig(TEST_CONFIG, key.file);
  const registry = (config.sharing as { registry: Record<string, unknown> }).registry;
  registry.pseudonym_space = { ipv4: SPACE_V4 };
  const entity = (registry.entities as Record<string, unknown>[])[0]!;
  entity.as_numbers = [VICTIM_AS];
  entity.national_ids = [NATIONAL_ID];
  server = await startTestServer({ config });
  const res = await server.client.post(sharedPath('objects/'), makeEnvelope(...planted));
  expect(res.status, res.text).toBe(202);
  expect((res.body as { failure_count: number }).failure_count, res.text).toBe(0);
});

afterAll(async () => {
  await server?.close();
  if (keyDir) await rm(keyDir, { recursive: true, force: true });
});

const REGISTRY_TERMS = [...PROTECTED_TERMS, 'kianpower', 'scada-gw', 'dkarimi'];

/** Arabic-Indic and Extended Arabic-Indic digits to ASCII, Arabic separators to '.'. */
const foldNumerals = (text: string): string =>
  text
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/[\u06f0-\u06f9]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/[\u066b\u066c\u060c]/g, '.');

async function partnerObjects(group: 'g1' | 'g2', sub = `leak-${group}`) {
  const res: TaxiiResponse = await server
    .as(server.token({ sub, role: 'partner', groups: [group] }))
    .get(sharedPath('objects/'));
  expect(res.status, res.text).toBe(200);
  return { res, objects: (res.body as Envelope).objects ?? [] };
}

const byType = (objects: Obj[], type: string): Obj[] => objects.filter((o) => o.type === type);

describe('leak classes, as a partner over HTTP', () => {
  it('(1) serves no registry term inside powershell -enc UTF-16LE base64', async () => {
    const { res, objects } = await partnerObjects('g1');
    expect(res.text).not.toContain(encoded);
    const proc = byType(objects, 'process');
    expect(proc).toHaveLength(1);
    const line = proc[0]!.command_line as string;
    expect(line.startsWith('powershell -enc ')).toBe(true);
    // Every base64-looking run of the served bytes, decoded both ways, names nothing.
    for (const run of res.text.match(/[A-Za-z0-9+/]{8,}={0,2}/g) ?? []) {
      const bytes = Buffer.from(run, 'base64');
      for (const text of [bytes.toString('utf16le'), bytes.toString('utf8')])
        for (const term of REGISTRY_TERMS) expect(text).not.toContain(term);
    }
    for (const term of REGISTRY_TERMS) expect(line).not.toContain(term);
  });

  it('(2) serves no victim address written in Extended Arabic-Indic digits with U+066B', async () => {
    const { res, objects } = await partnerObjects('g1');
    expect(res.text).not.toContain(PERSIAN_ADDRESS);
    const note = objects.find((o) => o.id === persianNote.id);
    expect(note, 'the note is served with the address removed, not withheld').toBeDefined();
    expect(note!.content).toContain('به سرور');
    expect(note!.content, 'the attacker address is kept as written').toContain('۲۰۳٫۰٫۱۱۳٫۵۰');
    const served = JSON.stringify(objects);
    expect(foldNumerals(served)).not.toContain('10.20.3.4');
    expect(foldNumerals(served)).not.toContain('10.20.');
  });

  it('(3) re-derives SCO ids that refer to victim SCOs, unguessable from the /24, per group', async () => {
    const a = (await partnerObjects('g1')).objects;
    const b = (await partnerObjects('g2')).objects;
    const servedFlows = byType(a, 'network-traffic');
    const servedFiles = byType(a, 'file');
    expect(servedFlows).toHaveLength(1);
    expect(servedFiles).toHaveLength(1);
    const sf = servedFlows[0]!;
    const sfile = servedFiles[0]!;
    expect(sf.id).not.toBe(flow.id);
    expect(sfile.id).not.toBe(webshell.id);
    // Control: the same guesses recover the raw flow's id from what an analyst is served.
    const internal = ((await server.client.get(sharedPath('objects/'))).body as Envelope).objects!;
    const rawFlow = byType(internal, 'network-traffic')[0]!;
    const recovered = Array.from({ length: 256 }, (_, h) =>
      scoId('network-traffic', {
        ...rawFlow,
        src_ref: scoId('ipv4-addr', { value: `10.20.3.${h}` }),
      }),
    ).filter((id) => id === rawFlow.id);
    expect(recovered).toHaveLength(1);
    const servedIds = new Set(a.map((o) => o.id));
    for (let h = 0; h < 256; h++) {
      const guess = scoId('ipv4-addr', { value: `10.20.3.${h}` });
      expect(servedIds.has(guess)).toBe(false);
      for (const side of ['src_ref', 'dst_ref'] as const)
        expect(scoId('network-traffic', { ...sf, [side]: guess })).not.toBe(sf.id);
    }
    const dirGuess = scoId('directory', { path: victimDir.path });
    expect(scoId('file', { ...sfile, parent_directory_ref: dirGuess })).not.toBe(sfile.id);
    expect(servedIds.has(dirGuess)).toBe(false);
    expect(byType(b, 'network-traffic').map((o) => o.id)).not.toContain(sf.id);
    expect(byType(b, 'file').map((o) => o.id)).not.toContain(sfile.id);
    expect(byType(b, 'network-traffic')).toHaveLength(1);
    expect(byType(b, 'file')).toHaveLength(1);
  });

  it('(4) redacts a registry AS number in text, and keeps other AS numbers', async () => {
    const { res, objects } = await partnerObjects('g1');
    expect(res.text).not.toContain(String(VICTIM_AS));
    const m = objects.find((o) => o.id === asMalware.id);
    expect(m).toBeDefined();
    expect(m!.description).toContain('AS13335');
  });

  it('(5) maps a victim address into the configured space; attacker objects arrive byte-identical', async () => {
    const { objects } = await partnerObjects('g1');
    const addresses = byType(objects, 'ipv4-addr').map((o) => o.value as string);
    expect(addresses).toContain('203.0.113.50');
    const mapped = addresses.filter((v) => v !== '203.0.113.50');
    expect(mapped).toHaveLength(1);
    expect(mapped[0]!.startsWith('198.18.7.')).toBe(true);
    for (const range of ATTACKER_RANGES) expect(mapped[0]!.startsWith(range)).toBe(false);
    // Byte-identical to what an analyst reads from the store (which serves keys in its own order).
    const raw = await server.client.get(sharedPath('objects/'));
    const rawObjects = (raw.body as Envelope).objects ?? [];
    for (const planted of [attackerIndicator, attackerIp]) {
      const internal = rawObjects.find((o) => o.id === planted.id);
      expect(internal).toEqual(planted);
      expect(JSON.stringify(objects.find((o) => o.id === planted.id))).toBe(
        JSON.stringify(internal),
      );
    }
  });

  it('(6) redacts a registry national id with a bad checksum, in any digits', async () => {
    const { res, objects } = await partnerObjects('g1');
    expect(res.text).not.toContain(NATIONAL_ID);
    const note = objects.find((o) => o.id === nationalIdNote.id);
    expect(note!.content).toContain('Phished account owner');
    expect(foldNumerals(JSON.stringify(objects))).not.toContain(NATIONAL_ID);
  });

  it('(7) shows doubt in the audit trail and the preview, with rule and reason, never content', async () => {
    await partnerObjects('g1', 'leak-audit');
    const admin = server.as(server.tokens.admin);
    const json = { accept: 'application/json' };
    const audit = await admin.get('/admin/audit?actor=leak-audit&action=objects.read', json);
    expect(audit.status).toBe(200);
    const record = (
      audit.body as { records: { details: { doubts: Record<string, string>[] } }[] }
    ).records.at(-1)!;
    const doubts = record.details.doubts;
    expect(doubts).toContainEqual(
      expect.objectContaining({
        objectId: sigma.id,
        rule: 'R7',
        path: '',
        reason: expect.any(String),
      }),
    );
    const removal = doubts.find((d) => d.objectId === opaqueNote.id);
    expect(removal).toMatchObject({ path: 'content', reason: expect.any(String) });
    expect(audit.text).not.toContain(opaque.slice(0, 16));
    expect(audit.text).not.toContain('mail.kianpower.ir');

    const previewOf = async (id: string) => {
      const res = await admin.get(`/admin/preview?group=g1&collection=shared&id=${id}`, json);
      expect(res.status, res.text).toBe(200);
      const body = res.body as {
        objects: { original_id: string; withheld?: string; changes: Record<string, string>[] }[];
      };
      expect(body.objects).toHaveLength(1);
      return body.objects[0]!;
    };
    expect((await previewOf(sigma.id)).withheld).toMatch(/^R7/);
    const change = (await previewOf(opaqueNote.id)).changes.find((c) => c.path === 'content');
    expect(change).toMatchObject({ reason: expect.any(String) });
    expect(JSON.stringify(change)).not.toContain(opaque.slice(0, 16));
  });
});
