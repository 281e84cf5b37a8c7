// Loads the shared STIX 2.1 corpus (../shared/stix-corpus/valid) in place: never copied
// into this repository (see the corpus LICENSE-NOTES.md).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the corpus is: STIXGATE_CORPUS_DIR if set; else `shared/stix-corpus/valid` beside
 * the checkout or beside any folder above it (a CI clone may sit deeper than ../); else the
 * workplace's /work/shared. Missing corpus is an error, never a silently skipped test.
 */
function locateCorpus(): string {
  const fromEnv = process.env.STIXGATE_CORPUS_DIR;
  if (fromEnv !== undefined && fromEnv !== '') return path.resolve(fromEnv);
  const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const candidates: string[] = [];
  for (let dir = repo; ; dir = path.dirname(dir)) {
    candidates.push(path.join(path.dirname(dir), 'shared', 'stix-corpus', 'valid'));
    if (path.dirname(dir) === dir) break;
  }
  candidates.push('/work/shared/stix-corpus/valid');
  const found = candidates.find((dir) => existsSync(dir));
  if (found === undefined) {
    throw new Error(
      `STIX corpus not found (looked in ${candidates.join(', ')}); set STIXGATE_CORPUS_DIR`,
    );
  }
  return found;
}

export const CORPUS_DIR = locateCorpus();

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
