// GitHub's OpenAPI description (@octokit/openapi): each request the client made is an operation
// of the description (method, path template, query parameters, Accept and X-GitHub-Api-Version),
// and each body the fake answered validates against that operation's response schema.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

const require = createRequire(import.meta.url);
const BaseVersion = '2022-11-28';
const MediaTypes = ['application/vnd.github+json', 'application/json'];

/**
 * input: { description: "api.github.com" | "ghes-3.19" | ..., prefix: "/api/v3",
 *          exchanges: [{ method, path, query: {k: v}, headers: {k: v}, status, body }] }
 */
export function check({ description, prefix = '', exchanges = [] }) {
  const spec = JSON.parse(readFileSync(require.resolve(`@octokit/openapi/generated/${description}.json`), 'utf8'));
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
  addFormats(ajv);
  openApiNullable(spec);
  ajv.addSchema(spec, 'spec');
  const versions = new Set([BaseVersion]);
  JSON.stringify(spec, (k, v) => {
    if (k === 'x-github-breaking-changes' && Array.isArray(v)) v.forEach(c => versions.add(c.version));
    return v;
  });
  const templates = Object.keys(spec.paths).map(template => ({
    template,
    pattern: new RegExp('^' + template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+') + '$'),
    literal: template.replace(/\{[^}]+\}/g, '').length,
  }));
  const compiled = new Map();
  const failures = [];
  for (const exchange of exchanges) {
    const method = exchange.method.toLowerCase();
    const where = `${exchange.method} ${exchange.path}`;
    if (!exchange.path.startsWith(prefix)) {
      failures.push(`${where}: not under the API prefix ${prefix}`);
      continue;
    }
    const path = exchange.path.slice(prefix.length) || '/';
    // The most literal template wins (/repos/{o}/{r}/commits over /repos/{o}/{r}/{x}).
    const match = templates.filter(t => t.pattern.test(path) && spec.paths[t.template][method])
      .sort((a, b) => b.literal - a.literal)[0];
    if (!match) {
      failures.push(`${where}: no operation of ${description} has this method and path`);
      continue;
    }
    const operation = spec.paths[match.template][method];
    const label = `${exchange.method} ${match.template} (${operation.operationId}, ${description})`;
    const parameters = [...(spec.paths[match.template].parameters ?? []), ...(operation.parameters ?? [])].map(p => resolve(spec, p));
    const declared = new Set(parameters.filter(p => p.in === 'query').map(p => p.name));
    for (const name of Object.keys(exchange.query ?? {})) {
      if (!declared.has(name)) failures.push(`${label}: query parameter '${name}' is not a parameter of the operation`);
    }
    const headers = Object.fromEntries(Object.entries(exchange.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
    const accepted = new Set([...MediaTypes, ...Object.values(operation.responses).flatMap(r => Object.keys(resolve(spec, r).content ?? {}))]);
    const accept = (headers.accept ?? '').split(',').map(s => s.split(';')[0].trim()).filter(Boolean);
    if (accept.length === 0 || !accept.every(a => accepted.has(a))) {
      failures.push(`${label}: Accept '${headers.accept ?? ''}' is none of ${[...accepted].join(', ')}`);
    }
    if (!versions.has(headers['x-github-api-version'])) {
      failures.push(`${label}: X-GitHub-Api-Version '${headers['x-github-api-version'] ?? ''}' is none of ${[...versions].join(', ')}`);
    }
    if (exchange.status === 304 || exchange.body === undefined || exchange.body === null) continue;
    const status = String(exchange.status);
    if (!operation.responses[status]) {
      failures.push(`${label}: status ${status} is not a response of the operation (${Object.keys(operation.responses).join(', ')})`);
      continue;
    }
    const response = resolve(spec, operation.responses[status]);
    if (!response.content?.['application/json']?.schema) continue;
    const pointer = [
      'paths', match.template, method, 'responses', status,
      ...(operation.responses[status].$ref ? [] : ['content', 'application/json', 'schema']),
    ];
    const ref = operation.responses[status].$ref
      ? `spec${operation.responses[status].$ref}/content/application~1json/schema`
      : `spec#/${pointer.map(escape).join('/')}`;
    if (!compiled.has(ref)) compiled.set(ref, ajv.compile({ $ref: ref }));
    const validate = compiled.get(ref);
    if (!validate(exchange.body)) {
      for (const error of validate.errors.slice(0, 200)) {
        failures.push(`${label} ${status}: body${error.instancePath} ${error.message}${error.params?.missingProperty ? '' : ' ' + JSON.stringify(error.params)}`);
      }
    }
  }
  return { checked: exchanges.length, failures };
}

// OpenAPI 3.0's `nullable` beside a $ref, allOf or anyOf (no `type`) is not JSON Schema: made an
// anyOf with null, which is what it means.
function openApiNullable(node) {
  if (Array.isArray(node)) return node.forEach(openApiNullable);
  if (typeof node !== 'object' || node === null) return;
  for (const value of Object.values(node)) openApiNullable(value);
  if ('nullable' in node && !('type' in node)) {
    const nullable = node.nullable;
    delete node.nullable;
    if (nullable === true) {
      const rest = { ...node };
      for (const key of Object.keys(node)) delete node[key];
      node.anyOf = [rest, { type: 'null' }];
    }
  }
}

function escape(segment) {
  return encodeURIComponent(segment.replace(/~/g, '~0').replace(/\//g, '~1')).replace(/%24/g, '$');
}

function resolve(spec, node) {
  while (node && node.$ref) {
    node = node.$ref.slice(2).split('/').map(s => s.replace(/~1/g, '/').replace(/~0/g, '~')).reduce((n, k) => n[k], spec);
  }
  return node;
}
