// The contract checks the xunit tests run: `node check.mjs <contract> <input.json>` prints
// {"checked": n, "failures": ["..."]} on stdout. Each contract is one module under checks/,
// reading only the upstream packages pinned in package-lock.json.
import { readFileSync } from 'node:fs';

const contracts = {
  graphql: () => import('./checks/graphql.mjs'),
  rest: () => import('./checks/rest.mjs'),
  webhooks: () => import('./checks/webhooks.mjs'),
  kubernetes: () => import('./checks/kubernetes.mjs'),
  grafana: () => import('./checks/grafana.mjs'),
};

const [name, file] = process.argv.slice(2);
if (!contracts[name] || !file) {
  console.error(`usage: node check.mjs <${Object.keys(contracts).join('|')}> <input.json>`);
  process.exit(2);
}

const input = JSON.parse(readFileSync(file, 'utf8'));
const { check } = await contracts[name]();
const result = await check(input);
process.stdout.write(JSON.stringify(result));
