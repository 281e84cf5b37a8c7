#!/usr/bin/env node
// `stixgate` command. In a checkout with dev dependencies (after `npm install`) it runs the
// TypeScript sources through tsx, so `npx stixgate …` never runs a stale build; in a
// production image (no tsx, no src) it runs the compiled dist/.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const source = new URL('../src/cli/main.ts', import.meta.url);
const compiled = new URL('../dist/cli/main.js', import.meta.url);

async function loadTsx() {
  try {
    return await import('tsx/esm/api');
  } catch {
    return undefined;
  }
}

const tsx = existsSync(fileURLToPath(source)) ? await loadTsx() : undefined;
if (tsx) {
  tsx.register();
  await (await import(source.href)).main();
} else {
  await (await import(pathToFileURL(fileURLToPath(compiled)).href)).main();
}
