// Kubernetes objects against their models: core kinds (kubernetes-models), Argo CD
// (@kubernetes-models/argo-cd), Flux (@kubernetes-models/flux-cd) and Prometheus Operator
// (@kubernetes-models/prometheus-operator), each validated with its CRD's OpenAPI schema,
// status included.
import { parseAllDocuments } from 'yaml';

const packages = ['kubernetes-models', '@kubernetes-models/argo-cd', '@kubernetes-models/flux-cd', '@kubernetes-models/prometheus-operator'];

async function model(apiVersion, kind) {
  const groupVersion = apiVersion.includes('/') ? apiVersion : `v1`;
  // kubernetes-models names the core group's kinds v1/<Kind>, the others <group>/<version>/<Kind>.
  for (const pkg of packages) {
    try {
      const module = await import(`${pkg}/${groupVersion}/${kind}`);
      if (module[kind]) return module[kind];
    } catch (e) {
      if (e.code !== 'ERR_PACKAGE_PATH_NOT_EXPORTED' && e.code !== 'ERR_MODULE_NOT_FOUND') throw e;
    }
  }
  return null;
}

/**
 * input: { objects: [{ name, object }], documents: [{ name, yaml }] }: objects as JSON, or YAML
 * streams read as the API server reads them (YAML 1.1 scalars: `true`, `2` and `"2"` differ).
 */
export async function check({ objects = [], documents = [] }) {
  const failures = [];
  for (const { name, yaml } of documents) {
    for (const document of parseAllDocuments(yaml, { version: '1.1' })) {
      if (document.errors.length > 0) failures.push(`${name}: ${document.errors[0].message}`);
      // As the API server reads YAML into JSON: a timestamp is a string.
      const object = JSON.parse(JSON.stringify(document.toJS() ?? null));
      if (object) objects.push({ name, object });
    }
  }
  for (const { name, object } of objects) {
    const label = `${name} (${object?.apiVersion} ${object?.kind} ${object?.metadata?.name ?? ''})`;
    const Model = object?.apiVersion && object?.kind ? await model(object.apiVersion, object.kind) : null;
    if (!Model) {
      failures.push(`${label}: no model for this apiVersion and kind`);
      continue;
    }
    try {
      new Model(object).validate();
    } catch (e) {
      const errors = e.errors ?? [{ instancePath: '', message: e.message }];
      for (const error of errors.slice(0, 10)) {
        failures.push(`${label}: ${error.instancePath || '/'} ${error.message}${error.params && !error.params.missingProperty ? ' ' + JSON.stringify(error.params) : ''}`);
      }
    }
  }
  return { checked: objects.length, failures };
}
