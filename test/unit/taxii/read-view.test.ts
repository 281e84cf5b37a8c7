// The read-view seam: raw for analysts and admins, fail closed for partners by default.
import { describe, expect, it } from 'vitest';
import type { Principal } from '../../../src/auth/principal.js';
import type { CollectionRecord } from '../../../src/store/types.js';
import {
  createReadViewProvider,
  RAW_VIEW,
  WITHHOLD_ALL_VIEW,
  type ReadView,
} from '../../../src/taxii/read-view.js';

const collection = { id: 'c' } as CollectionRecord;
const who = (role: Principal['role']): Principal => ({ subject: role, role, groups: [] });

describe('createReadViewProvider', () => {
  it('gives analysts and admins the raw view', async () => {
    const provider = createReadViewProvider();
    expect(await provider(who('analyst'), collection)).toBe(RAW_VIEW);
    expect(await provider(who('admin'), collection)).toBe(RAW_VIEW);
  });

  it('serves partners nothing when no sharing view is wired', async () => {
    const view = await createReadViewProvider()(who('partner'), collection);
    expect(view).toBe(WITHHOLD_ALL_VIEW);
    expect(view.visibility).toEqual({ tlp: [] });
  });

  it('routes partners, and only partners, to the sharing view', async () => {
    const sharing: ReadView = { derive: async () => [] };
    const provider = createReadViewProvider(() => sharing);
    expect(await provider(who('partner'), collection)).toBe(sharing);
    expect(await provider(who('analyst'), collection)).toBe(RAW_VIEW);
  });
});
