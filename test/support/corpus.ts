// Loads the shared STIX 2.1 corpus (../shared/stix-corpus/valid) in place: never copied
// into this repository (see the corpus LICENSE-NOTES.md).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CORPUS_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../shared/stix-corpus/valid',
);

export interface CorpusFile {
  name: string;
  /** The objects of a bundle, or the single object of a one-object file. */
  objects: Record<string, unknown>[];
}

export function loadCorpus(): CorpusFile[] {
  return readdirSync(CORPUS_DIR)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => {
      const parsed = JSON.parse(readFileSync(path.join(CORPUS_DIR, name), 'utf8')) as Record<
        string,
        unknown
      >;
      const objects =
        parsed.type === 'bundle' ? (parsed.objects as Record<string, unknown>[]) : [parsed];
      return { name, objects };
    });
}
