// Grafana's dashboard model (@grafana/schema): each dashboard JSON is type-checked as a value of
// its Dashboard type with the TypeScript compiler (strict, excess properties refused), the
// schema being published only as TypeScript types. Its TypeScript enums are read as the strings
// and numbers they stand for, which is what a JSON file holds.
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = dirname(dirname(fileURLToPath(import.meta.url)));

/** input: { dashboards: [{ name, json }] } (json: the dashboard's text) */
export function check({ dashboards = [] }) {
  const dir = mkdtempSync(join(root, '.grafana-check-'));
  try {
    const files = dashboards.map((d, i) => {
      const file = `dashboard${i}.ts`;
      // The JSON starts on line 3, so a compiler line minus 2 is the dashboard's own line.
      writeFileSync(join(dir, file), `import type { Checked } from './json';\nexport const dashboard: Checked =\n${d.json.trim()};\n`);
      return file;
    });
    writeFileSync(join(dir, 'json.ts'), [
      "import type { Dashboard, AnnotationQuery, VariableModel } from '@grafana/schema';",
      'export type Json<T> = T extends string ? `${T}` : T extends number | boolean | null | undefined ? T',
      '  : T extends Array<infer U> ? Array<Json<U>> : T extends object ? { [K in keyof T]: Json<T[K]> } : T;',
      // What the Prometheus data source reads beside the generic fields: a legacy annotation's
      // query and its formats, and a query variable's definition (its query as text). Nothing else.
      'type PrometheusAnnotation = { expr?: string; step?: string; tagKeys?: string; titleFormat?: string; textFormat?: string; useValueForTime?: boolean };',
      "export type Checked = Omit<Json<Dashboard>, 'annotations' | 'templating'> & {",
      '  annotations?: { list?: Array<Json<AnnotationQuery> & PrometheusAnnotation> };',
      '  templating?: { list?: Array<Json<VariableModel> & { definition?: string }> };',
      '};',
    ].join('\n'));
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', skipLibCheck: true, types: [] },
      files,
    }));
    const tsc = join(dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
    const run = spawnSync(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json'), '--pretty', 'false'], { encoding: 'utf8' });
    const failures = [];
    for (const line of `${run.stdout}${run.stderr}`.split('\n')) {
      const m = line.match(/dashboard(\d+)\.ts\((\d+),(\d+)\): (error .*)/);
      if (m) failures.push(`${dashboards[Number(m[1])].name}:${Number(m[2]) - 2}:${m[3]}: ${m[4]}`);
      else if (/error/.test(line) && !/^\s/.test(line)) failures.push(line);
    }
    if (run.status !== 0 && failures.length === 0) failures.push(`tsc exited ${run.status}: ${run.stdout}${run.stderr}`);
    return { checked: dashboards.length, failures };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
