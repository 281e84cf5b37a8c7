// Sums a V8 .cpuprofile (or several) per function: self time and inclusive time (a function
// counted once per sample however often it recurses), as a share of all samples.
//
//   npx tsx bench/tools/profile-summary.ts [--top N] [--under functionName] file.cpuprofile…
//
// --under keeps only the samples taken inside that function (its name, then file and line).
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
}

const args = process.argv.slice(2);
let top = 30;
let under: string | undefined;
const files: string[] = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--top') top = Number(args[++i]);
  else if (args[i] === '--under') under = args[++i];
  else files.push(args[i]!);
}

const self = new Map<string, number>();
const inclusive = new Map<string, number>();
let total = 0;
for (const file of files) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const name = (n: ProfileNode): string => {
    const f = n.callFrame;
    const where = f.url === '' ? '' : ` ${path.basename(f.url)}:${f.lineNumber + 1}`;
    return `${f.functionName || '(anonymous)'}${where}`;
  };
  for (const sample of profile.samples) {
    const node = byId.get(sample)!;
    if (node.callFrame.functionName === '(idle)') continue;
    if (under !== undefined) {
      let inside = false;
      for (let id: number | undefined = sample; id !== undefined; id = parent.get(id))
        if (name(byId.get(id)!).startsWith(under)) inside = true;
      if (!inside) continue;
    }
    total += 1;
    self.set(name(node), (self.get(name(node)) ?? 0) + 1);
    const seen = new Set<string>();
    for (let id: number | undefined = sample; id !== undefined; id = parent.get(id)) {
      const key = name(byId.get(id)!);
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + 1);
    }
  }
}

const pct = (n: number): string => `${((100 * n) / total).toFixed(1).padStart(5)} %`;
const print = (title: string, map: Map<string, number>): void => {
  console.log(`${title} (${total} samples, idle excluded)`);
  for (const [key, n] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`  ${pct(n)}  ${key}`);
};
print('self', self);
print('inclusive', inclusive);
