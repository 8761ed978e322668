// GitHub's webhook schemas (@octokit/webhooks-schemas): each delivery validates against the
// schema of its event (X-GitHub-Event), which covers every action of that event.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

const require = createRequire(import.meta.url);

/** input: { deliveries: [{ name, event, body }] } */
export function check({ deliveries = [] }) {
  const schema = JSON.parse(readFileSync(require.resolve('@octokit/webhooks-schemas/schema.json'), 'utf8'));
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
  addFormats(ajv);
  ajv.addSchema(schema, 'webhooks');
  const failures = [];
  for (const { name, event, body } of deliveries) {
    // An event with actions is <event>_event (a oneOf of <event>$<action>); one without, <event>$event.
    const definition = [`${event}_event`, `${event}$event`].find(d => schema.definitions[d]);
    if (!definition) {
      failures.push(`${name}: '${event}' is not an event of the webhook schemas`);
      continue;
    }
    // An event is a oneOf of its actions: validate against the action's own definition so the
    // failures name the field, not "must match exactly one schema".
    const action = body?.action;
    const actionDefinition = action && schema.definitions[`${event}$${action}`] ? `${event}$${action}` : definition;
    const validate = ajv.getSchema(`webhooks#/definitions/${actionDefinition}`);
    if (!validate(body)) {
      for (const error of validate.errors.slice(0, 10)) {
        failures.push(`${name} (${actionDefinition}): body${error.instancePath} ${error.message}${error.params?.missingProperty ? '' : ' ' + JSON.stringify(error.params)}`);
      }
    }
  }
  return { checked: deliveries.length, failures };
}
