// Every object of ../shared/stix-corpus/valid/ (OASIS examples, loaded in place, never copied)
// must be accepted.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { errorCodes, permissive, strict, validator } from './support.js';
import { CORPUS_DIR } from '../../support/corpus.js';

const CORPUS = `${CORPUS_DIR}/`;

/** Files whose objects carry custom properties without the x_ prefix (see LICENSE-NOTES.md). */
const WITH_CUSTOM_PROPERTIES = new Set(['identity_custom.json', 'tool.json']);

function loadCorpus(): { file: string; objects: Record<string, unknown>[] }[] {
  return readdirSync(CORPUS)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const doc = JSON.parse(readFileSync(CORPUS + file, 'utf8')) as Record<string, unknown>;
      const objects =
        doc['type'] === 'bundle' ? (doc['objects'] as Record<string, unknown>[]) : [doc];
      return { file, objects };
    });
}

const corpus = loadCorpus();

describe('the STIX 2.1 corpus', () => {
  // LICENSE-NOTES.md says "268 objects" but its own per-file table sums to 266, which is what
  // the files hold.
  it('holds the 14 files and 266 objects of the LICENSE-NOTES.md table', () => {
    expect(corpus).toHaveLength(14);
    expect(corpus.reduce((n, f) => n + f.objects.length, 0)).toBe(266);
  });

  for (const { file, objects } of corpus) {
    it(`accepts every object of ${file} in permissive mode`, () => {
      for (const obj of objects) {
        const result = permissive(obj);
        expect({ id: obj['id'], result }).toMatchObject({ id: obj['id'], result: { ok: true } });
      }
    });

    if (WITH_CUSTOM_PROPERTIES.has(file)) {
      it(`refuses ${file} in strict mode only for its custom properties`, () => {
        for (const obj of objects) {
          const codes = errorCodes(strict(obj));
          expect(codes.length).toBeGreaterThan(0);
          expect(new Set(codes)).toEqual(new Set(['custom-property']));
        }
      });
    } else {
      it(`accepts every object of ${file} in strict mode`, () => {
        for (const obj of objects) {
          expect({ id: obj['id'], result: strict(obj) }).toMatchObject({
            id: obj['id'],
            result: { ok: true },
          });
        }
      });
    }
  }

  it('accepts the bundles as bundles', () => {
    for (const file of readdirSync(CORPUS).filter((f) => f.endsWith('.json'))) {
      const doc = JSON.parse(readFileSync(CORPUS + file, 'utf8')) as Record<string, unknown>;
      if (doc['type'] === 'bundle') expect(validator().validateBundle(doc)).toEqual({ ok: true });
    }
  });
});
