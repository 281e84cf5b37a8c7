// The review console in headless Chromium against a real stixgate holding the fictional Kian
// Power incident of docs/sharing.md: sign in with a pasted admin token, preview the incident
// for two partner groups and check what is highlighted (the Persian name redacted in place,
// the pseudonym, withheld objects with their reasons), then the other views. Screenshots go
// to test-artifacts/console/ (git-ignored).
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GREEN,
  SHARED,
  buildIncident,
  postingOrder,
  sharedPath,
  sharingConfig,
  writeMasterKey,
} from '../../test/http/sharing-incident.js';
import { makeEnvelope, makeIpv4Addr } from '../../test/support/builders.js';
import { TEST_CONFIG, startTestServer, type TestServer } from '../../test/support/start-server.js';
import { launchChromium, type Browser } from './browser.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const ARTIFACTS = path.resolve(here, '../../test-artifacts/console');

const incident = buildIncident();
// Beside the incident: the victim's internal address (mapped into documentation space) and
// the location of its control room (generalized to its country).
const internalAddress = { ...makeIpv4Addr({ value: '10.20.3.4' }), object_marking_refs: [GREEN] };
const controlRoom = {
  type: 'location',
  spec_version: '2.1',
  id: 'location--0c6f0b8a-1d2e-4f3a-9b4c-5d6e7f8a9b0c',
  created: '2026-01-01T00:00:00.000Z',
  modified: '2026-01-01T00:00:00.000Z',
  name: 'Kian Power control room',
  country: 'IR',
  city: 'Rasht',
  object_marking_refs: internalAddress.object_marking_refs,
};
let server: TestServer;
let browser: Browser;
let page: Page;
let keyDir: string;
let outDir: string;
const requests: string[] = [];
// Set when the setup failed (e.g. no Chromium): every test then fails with it rather than
// being reported as skipped.
let setupError: unknown;
const problems: string[] = [];

beforeAll(async () => {
  try {
    await setUp();
  } catch (error) {
    setupError = error;
  }
}, 120_000);

function ready(): void {
  if (setupError !== undefined) throw setupError;
}

async function setUp(): Promise<void> {
  browser = await launchChromium();
  outDir = await mkdtemp(path.join(os.tmpdir(), 'stixgate-console-build-'));
  await build({
    configFile: path.join(here, '../vite.config.ts'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  });
  const key = await writeMasterKey();
  keyDir = key.dir;
  server = await startTestServer({
    config: sharingConfig(TEST_CONFIG, key.file),
    start: { consoleDir: outDir },
  });
  for (const batch of postingOrder(incident))
    expect((await server.client.post(sharedPath('objects/'), makeEnvelope(...batch))).status).toBe(
      202,
    );
  expect(
    (await server.client.post(sharedPath('objects/'), makeEnvelope(internalAddress, controlRoom)))
      .status,
  ).toBe(202);
  // One partner read of each group, so that the audit has deliveries to chart.
  for (const token of [server.tokens.partner, server.tokens.partnerOther])
    expect((await server.as(token).get(sharedPath('objects/'))).status).toBe(200);
  await mkdir(ARTIFACTS, { recursive: true });
  page = await browser.context.newPage();
  page.on('request', (r) => requests.push(r.url()));
  page.on('response', (r) => {
    // The sign-in test's refused token is the one expected error answer.
    if (r.status() >= 400 && r.status() !== 403) problems.push(`${r.status()} ${r.url()}`);
  });
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
}

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (keyDir) await rm(keyDir, { recursive: true, force: true });
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

const card = (id: string) => page.locator(`article[data-object="${id}"]`);

async function openPreview(group: string): Promise<void> {
  await page.click('nav a:has-text("Preview")');
  await page.selectOption('select[name="collection"]', `api1/${SHARED}`);
  await page.selectOption('select[name="group"]', group);
  await page.locator(`[data-preview-group="${group}"]`).waitFor();
}

describe('review console in Chromium', () => {
  it('refuses a non-admin token, signs in with an admin token kept in this tab only', async () => {
    ready();
    await page.goto(`${server.url}/console/`);
    await page.fill('textarea[name="token"]', server.tokens.analyst);
    await page.click('form[data-form="sign-in"] button');
    await expect.poll(() => page.locator('[role="alert"]').textContent()).toContain('403');
    await page.fill('textarea[name="token"]', `Bearer ${server.tokens.admin}`);
    await page.click('form[data-form="sign-in"] button');
    await page.locator('table[data-view="collections"]').waitFor();
    const stored = await page.evaluate(() => ({
      session: sessionStorage.getItem('stixgate.console.token'),
      local: localStorage.length,
      cookies: document.cookie,
    }));
    expect(stored).toEqual({ session: server.tokens.admin, local: 0, cookies: '' });
    const row = page.locator(`tr[data-collection="${SHARED}"]`);
    await expect
      .poll(() => row.locator('td.num').textContent())
      .toBe(String(await server.store.countObjects(SHARED)));
    expect(await row.textContent()).toContain('group g1, group g2, group g3');
    await shot('collections');
  });

  it('previews the incident for g1: Persian name redacted in place, pseudonym, withheld with reasons', async () => {
    ready();
    await openPreview('g1');
    const c2 = card(incident.c2.id);
    const removed = c2.locator('[data-side="original"] [data-path="description"] mark');
    const removedTexts = await removed.allTextContents();
    expect(removedTexts).toContain('شرکت برق کیان');
    const persian = removed.filter({ hasText: 'شرکت برق کیان' });
    expect(await persian.getAttribute('data-rule')).toBe('R6');
    expect(await persian.getAttribute('data-kind')).toBe('redacted');
    expect(await persian.getAttribute('dir')).toBe('auto');
    // The highlighted span is shown right to left in place, inside the left-to-right sentence.
    expect(await persian.evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
    expect(await persian.evaluate((el) => getComputedStyle(el).backgroundColor)).not.toBe(
      'rgba(0, 0, 0, 0)',
    );
    const added = c2.locator(
      '[data-side="derived"] [data-path="description"] mark[data-kind="pseudonym"]',
    );
    const labels = await added.allTextContents();
    expect(labels.length).toBeGreaterThanOrEqual(2);
    const g1Label = labels[0]!;
    expect(g1Label).toMatch(/^Victim-[A-Z2-7]{8}$/);
    expect(await c2.locator('[data-side="derived"]').textContent()).not.toContain('کیان');

    // The victim identity: its name pseudonymized, its id re-derived, its sectors generalized.
    const victim = card(incident.victim.id);
    const name = victim.locator('[data-side="derived"] [data-path="name"]');
    expect(await name.getAttribute('data-kind')).toBe('pseudonym');
    expect(await name.textContent()).toContain(g1Label);
    expect(await victim.locator('header [data-kind="rederived-id"]').first().textContent()).toMatch(
      /^identity--/,
    );
    expect(
      await victim
        .locator('[data-side="original"] [data-path="sectors"]')
        .getAttribute('data-kind'),
    ).toBe('generalized-sector');
    expect(
      await victim
        .locator('[data-side="original"] [data-path="description"]')
        .getAttribute('data-kind'),
    ).toBe('dropped');

    // The internal address is mapped into documentation space, under a re-derived id.
    const address = card(internalAddress.id as string);
    expect(await address.locator('header [data-kind="mapped-address"]').count()).toBe(1);
    const mapped = address.locator('[data-side="derived"] [data-path="value"]');
    expect(await mapped.getAttribute('data-kind')).toBe('mapped-address');
    expect(await mapped.textContent()).not.toContain('10.20.3.4');
    expect(await address.locator('header li[data-kind="rederived-id"]').count()).toBe(1);
    // The location keeps its country only.
    const room = card(controlRoom.id);
    expect(
      await room.locator('[data-side="original"] [data-path="city"]').getAttribute('data-kind'),
    ).toBe('dropped');
    expect(await room.locator('[data-side="derived"]').textContent()).not.toContain('Rasht');

    // AMBER is within g1's ceiling: served, its Arabic-letter spelling redacted in place.
    const amber = card(incident.amberNote.id);
    expect(await amber.locator('[data-withheld]').count()).toBe(0);
    expect(await amber.locator('[data-side="original"] mark').allTextContents()).toContain(
      'شركت برق كيان',
    );

    expect(
      await card(incident.red.id).locator('[data-withheld]').getAttribute('data-withheld'),
    ).toBe("R2: TLP red above the audience's ceiling");
    expect(
      await card(incident.sigma.id).locator('[data-withheld]').getAttribute('data-withheld'),
    ).toBe('R7: non-STIX pattern with a protected term');
    // Nothing else withheld: the two extra objects are served.
    const reasons = await page.locator('[data-counts="withheld-by-reason"] tr').allTextContents();
    expect(reasons).toEqual([
      "R2: TLP red above the audience's ceiling1",
      'R7: non-STIX pattern with a protected term1',
    ]);
    await shot('preview-g1');
    // The first screen of the preview, small enough for the README.
    await page.evaluate(() => scrollTo(0, 0));
    await page.screenshot({
      path: path.join(ARTIFACTS, 'preview-g1-screen.png'),
      clip: { x: 0, y: 0, width: 1280, height: 760 },
    });
    await page.locator(`article[data-object="${incident.c2.id}"]`).screenshot({
      path: path.join(ARTIFACTS, 'preview-g1-indicator.png'),
    });

    // Filtering by rule leaves the objects that rule touched.
    await page.selectOption('select[name="rule"]', 'R2');
    await expect
      .poll(() =>
        page
          .locator('article[data-object]')
          .evaluateAll((els) => els.map((e) => e.getAttribute('data-object'))),
      )
      .toEqual([incident.red.id]);
    await page.selectOption('select[name="rule"]', '');
    await page.selectOption('select[name="kind"]', 'withheld');
    expect(await page.locator('article[data-object]').count()).toBe(2);
    await page.selectOption('select[name="kind"]', '');
    (globalThis as { g1Label?: string }).g1Label = g1Label;
  });

  it('previews the incident for g2: AMBER withheld with its reason, other pseudonyms', async () => {
    ready();
    await openPreview('g2');
    expect(
      await card(incident.amberNote.id).locator('[data-withheld]').getAttribute('data-withheld'),
    ).toBe("R2: TLP amber above the audience's ceiling");
    const c2 = card(incident.c2.id);
    expect(await c2.locator('[data-side="original"] mark').allTextContents()).toContain(
      'شرکت برق کیان',
    );
    const labels = await c2
      .locator('[data-side="derived"] mark[data-kind="pseudonym"]')
      .allTextContents();
    expect(labels[0]).toMatch(/^Victim-[A-Z2-7]{8}$/);
    expect(labels[0]).not.toBe((globalThis as { g1Label?: string }).g1Label);
    expect(await page.locator('[data-withheld-count]').textContent()).toBe('3');
    await shot('preview-g2');
  });

  it('lists what is withheld outside policy, for every group, and not what TLP withholds', async () => {
    ready();
    await page.click('nav a:has-text("Withheld")');
    const table = page.locator('table[data-view="withheld"]');
    await table.waitFor();
    const rows = await table
      .locator('tbody tr')
      .evaluateAll((els) =>
        els.map((e) => `${e.getAttribute('data-group')} ${e.getAttribute('data-object')}`),
      );
    expect(rows.sort()).toEqual([`g1 ${incident.sigma.id}`, `g2 ${incident.sigma.id}`]);
    expect(await table.textContent()).toContain('R7: non-STIX pattern with a protected term');
    await shot('withheld');
  });

  it('shows the registry and policies read-only, the entities searchable in either script', async () => {
    ready();
    await page.click('nav a:has-text("Registry")');
    await page.locator('[data-check="valid"]').waitFor();
    expect(await page.locator('tr[data-group="g1"]').textContent()).toContain('amber');
    await page.fill('input[name="entity-search"]', 'كيان');
    await expect
      .poll(() => page.locator('[data-entity-count]').getAttribute('data-entity-count'))
      .toBe('1');
    const fa = page.locator('tr[data-entity="kian-power"] div', { hasText: 'شرکت برق کیان' });
    expect(await fa.evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
    await page.fill('input[name="entity-search"]', 'no-such-victim');
    await expect
      .poll(() => page.locator('[data-entity-count]').getAttribute('data-entity-count'))
      .toBe('0');
    expect(
      await page
        .locator('input, textarea, select, button')
        .evaluateAll((els) => els.filter((e) => (e as HTMLElement).closest('table')).length),
    ).toBe(0);
    await shot('registry');
  });

  it('charts partner deliveries and withheld objects, and filters the audit', async () => {
    ready();
    await page.click('nav a:has-text("Audit")');
    const chart = page.locator('svg[data-chart="deliveries"]');
    await chart.waitFor();
    const heights = await chart
      .locator('rect.bar-delivered, rect.bar-withheld')
      .evaluateAll((els) =>
        els.filter((e) => !e.closest('.legend')).map((e) => Number(e.getAttribute('height'))),
      );
    expect(heights.some((h) => h > 0)).toBe(true);
    await page.fill('input[name="group"]', 'g2');
    await page.fill('input[name="action"]', 'objects.read');
    await page.click('form[data-form="audit"] button');
    await expect
      .poll(() => page.locator('[data-audit-count]').getAttribute('data-audit-count'))
      .toBe('1');
    expect(await page.locator('table[data-view="audit"] tbody tr').textContent()).toContain(
      'partner-2',
    );
    await shot('audit');
  });

  it('loaded nothing from another origin and broke no CSP rule', () => {
    ready();
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((u) => !u.startsWith(`${server.url}/`))).toEqual([]);
    expect(problems.filter((p) => !/\b403\b/.test(p))).toEqual([]);
  });
});
