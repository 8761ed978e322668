// GitHub's GraphQL schema (@octokit/graphql-schema): each document the poller sends validates, and
// each answer the fake gave matches the schema's types for the fields the document selects
// (scalars, enums, lists, and nullability: a null where the schema says non-null is a failure).
import { schema as published } from '@octokit/graphql-schema';
import {
  buildClientSchema, parse, validate, getNamedType, isNonNullType, isListType, isEnumType, isScalarType,
  isObjectType, isAbstractType, typeFromAST, valueFromAST, Kind,
} from 'graphql';

const schema = buildClientSchema(published.json.data ?? published.json);

const scalars = {
  Int: v => Number.isInteger(v),
  Float: v => typeof v === 'number',
  Boolean: v => typeof v === 'boolean',
};

/** input: { documents: [{ name, text }], answers: [{ name, query, variables, data }] } */
export function check({ documents = [], answers = [] }) {
  const failures = [];
  for (const { name, text } of documents) {
    for (const error of validateDocument(text)) failures.push(`${name}: ${error}`);
  }
  for (const { name, query, variables, data } of answers) {
    const errors = validateDocument(query);
    if (errors.length > 0) {
      failures.push(...errors.map(e => `${name}: ${e}`));
      continue;
    }
    const document = parse(query);
    const operation = document.definitions.find(d => d.kind === Kind.OPERATION_DEFINITION);
    const vars = variables ?? {};
    checkSelection(schema.getQueryType(), operation.selectionSet, data, `${name} data`, vars, failures);
  }
  return { checked: documents.length + answers.length, failures };
}

function validateDocument(text) {
  try {
    return validate(schema, parse(text)).map(e => e.message);
  } catch (e) {
    return [e.message];
  }
}

function included(node, vars) {
  for (const directive of node.directives ?? []) {
    const arg = directive.arguments.find(a => a.name.value === 'if');
    const value = arg && valueFromAST(arg.value, schema.getType('Boolean'), vars);
    if (directive.name.value === 'include' && value !== true) return false;
    if (directive.name.value === 'skip' && value === true) return false;
  }
  return true;
}

// The fields a selection set asks of an object of the given type; an inline fragment on another
// type applies when the answer carries its fields (the poller asks no __typename).
function fields(type, selectionSet, value, vars) {
  const out = [];
  for (const selection of selectionSet.selections) {
    if (!included(selection, vars)) continue;
    if (selection.kind === Kind.FIELD) {
      out.push({ selection, parent: type });
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const on = selection.typeCondition ? typeFromAST(schema, selection.typeCondition) : type;
      const inner = fields(on, selection.selectionSet, value, vars);
      const applies = on === type || inner.some(f => Object.hasOwn(value, (f.selection.alias ?? f.selection.name).value));
      if (applies) out.push(...inner);
    } else {
      throw new Error('fragment spreads are not used by the poller');
    }
  }
  return out;
}

function checkSelection(type, selectionSet, value, path, vars, failures) {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    failures.push(`${path}: expected an object of type ${type.name}, got ${JSON.stringify(value)}`);
    return;
  }
  const selected = fields(type, selectionSet, value, vars);
  const keys = new Set(selected.map(f => (f.selection.alias ?? f.selection.name).value));
  for (const key of Object.keys(value)) {
    if (!keys.has(key)) failures.push(`${path}.${key}: answered but not asked for`);
  }
  for (const { selection, parent } of selected) {
    const key = (selection.alias ?? selection.name).value;
    const field = selection.name.value === '__typename' ? null : parent.getFields()[selection.name.value];
    if (!Object.hasOwn(value, key)) {
      failures.push(`${path}.${key}: asked for but missing from the answer`);
    } else if (field) {
      checkValue(field.type, selection, value[key], `${path}.${key}`, vars, failures);
    }
  }
}

function checkValue(type, selection, value, path, vars, failures) {
  if (value === null) {
    if (isNonNullType(type)) failures.push(`${path}: null, but the schema says ${type} (non-null)`);
    return;
  }
  if (isNonNullType(type)) return checkValue(type.ofType, selection, value, path, vars, failures);
  if (isListType(type)) {
    if (!Array.isArray(value)) return failures.push(`${path}: expected a list (${type}), got ${JSON.stringify(value)}`);
    value.forEach((item, i) => checkValue(type.ofType, selection, item, `${path}[${i}]`, vars, failures));
    return;
  }
  const named = getNamedType(type);
  if (isEnumType(named)) {
    if (!named.getValues().some(v => v.name === value)) failures.push(`${path}: ${JSON.stringify(value)} is not a value of enum ${named.name}`);
  } else if (isScalarType(named)) {
    const ok = scalars[named.name] ?? (v => typeof v === 'string');
    if (!ok(value)) failures.push(`${path}: ${JSON.stringify(value)} is not a ${named.name}`);
  } else if (isObjectType(named) || isAbstractType(named)) {
    const concrete = isAbstractType(named) ? concreteFor(named, selection.selectionSet, value, vars) : named;
    checkSelection(concrete, selection.selectionSet, value, path, vars, failures);
  }
}

// An interface or union answered without __typename: the one inline fragment whose fields it
// carries, else the abstract type itself (its own fields only).
function concreteFor(abstract, selectionSet, value, vars) {
  for (const selection of selectionSet.selections) {
    if (selection.kind !== Kind.INLINE_FRAGMENT || !selection.typeCondition || !included(selection, vars)) continue;
    const on = typeFromAST(schema, selection.typeCondition);
    const inner = fields(on, selection.selectionSet, value, vars);
    if (inner.some(f => Object.hasOwn(value, (f.selection.alias ?? f.selection.name).value))) return on;
  }
  return abstract;
}
