// Prints a before/after table of two bench/speed.ts result files (figures matched by name):
//   npx tsx bench/speed/compare.ts bench/results/before-100000.json bench/results/after-100000.json
import { readFileSync } from 'node:fs';

interface Figure {
  figure: string;
  name: string;
  value: number;
  unit: string;
  ratio?: number;
  target?: string;
  p50?: number;
}
interface Result {
  objects: number;
  figures: Figure[];
}

const [beforeFile, afterFile] = process.argv.slice(2);
if (beforeFile === undefined || afterFile === undefined) {
  console.error('usage: compare.ts <before.json> <after.json>');
  process.exit(2);
}
const read = (file: string): Result => JSON.parse(readFileSync(file, 'utf8')) as Result;
const before = read(beforeFile);
const after = read(afterFile);
const value = (f: Figure | undefined): string =>
  f === undefined ? '—' : `${f.value.toFixed(f.value < 10 ? 1 : 0)} ${f.unit}`;
const ratio = (f: Figure | undefined): string =>
  f?.ratio === undefined ? '' : `**${f.ratio.toFixed(3)}**`;
console.log(
  `| # | figure (${after.objects} objects) | before | ratio before | after | ratio after | target |`,
);
console.log('|---|---|---|---|---|---|---|');
for (const f of after.figures) {
  const stem = (name: string): string => name.replace(/ \(.*\)$/, '');
  const b = before.figures.find((x) => stem(x.name) === stem(f.name));
  console.log(
    `| ${f.figure} | ${f.name} | ${value(b)} | ${ratio(b)} | ${value(f)} | ${ratio(f)} | ${f.target ?? ''} |`,
  );
}
