/**
 * The JSON Schemas in schemas/ (ours, draft-07). Their validators are compiled at build time by ajv's
 * standalone mode (generated/validators.ts, made by scripts/build-validators.mjs), so starting the server
 * compiles nothing; only a custom kind's schema from the policies is compiled at run time. The schemas are
 * also the model that completion, hover and reference checks read: descriptions, examples, and the
 * `x-kind` / `x-reference` annotations that say which apiVersions a kind takes and which fields are references.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import * as compiled from './generated/validators';
import entitySchema from '../../../schemas/entity.schema.json';
import metaSchema from '../../../schemas/entity-meta.schema.json';
import component from '../../../schemas/kinds/component.schema.json';
import api from '../../../schemas/kinds/api.schema.json';
import resource from '../../../schemas/kinds/resource.schema.json';
import system from '../../../schemas/kinds/system.schema.json';
import domain from '../../../schemas/kinds/domain.schema.json';
import group from '../../../schemas/kinds/group.schema.json';
import user from '../../../schemas/kinds/user.schema.json';
import location from '../../../schemas/kinds/location.schema.json';
import template from '../../../schemas/kinds/template.schema.json';

/** A JSON Schema node as we read it (only the parts the engine uses). */
export interface SchemaNode {
  type?: string | string[];
  description?: string;
  markdownDescription?: string;
  examples?: unknown[];
  enum?: unknown[];
  default?: unknown;
  required?: string[];
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  items?: SchemaNode;
  oneOf?: SchemaNode[];
  $ref?: string;
  'x-reference'?: ReferenceSpec;
  'x-kind'?: { kind: string; apiVersions: string[] };
}

/** How a spec field refers to other entities. */
export interface ReferenceSpec {
  /** The kind assumed when the reference does not name one; absent means the kind must be written. */
  defaultKind?: string;
  /** The kinds the field is meant to point at (checked across the catalog, not by Backstage). */
  allowedKinds: string[];
  /** The relation Backstage emits from this field. */
  relation: string;
}

export interface ReferenceField extends ReferenceSpec {
  /** The key under spec. */
  field: string;
  /** True for list fields (providesApis, dependsOn, members, ...). */
  many: boolean;
}

export interface KindInfo {
  kind: string;
  apiVersions: string[];
  description: string;
  /** The schema of `spec`, for completion and hover. */
  spec: SchemaNode;
  references: ReferenceField[];
  /** Validates the whole entity against the kind's schema (spec only; the envelope is separate). */
  validate?: ValidateFunction;
  builtin: boolean;
}

const validators = compiled as unknown as Record<string, ValidateFunction>;

/** The envelope, checked on what the file says, before placeholders are resolved (as the catalog does). */
export const validateEnvelope: ValidateFunction = validators.envelope;
/** The whole entity (envelope and metadata), checked after placeholders. */
export const validateEntity: ValidateFunction = validators.entity;

export const entityRootSchema = entitySchema as unknown as SchemaNode;
export const entityMetaSchema = metaSchema as unknown as SchemaNode;

/** Makes the kind info of a kind schema: its apiVersions, its spec and its reference fields. */
export function kindFromSchema(schema: SchemaNode, validate: ValidateFunction | undefined, builtin: boolean): KindInfo {
  const x = schema['x-kind'];
  if (!x) throw new Error('kind schema without x-kind');
  const spec = schema.properties?.spec ?? {};
  const references: ReferenceField[] = [];
  for (const [field, node] of Object.entries(spec.properties ?? {})) {
    const ref = node['x-reference'];
    if (ref) references.push({ ...ref, field, many: node.type === 'array' || !ref.defaultKind });
  }
  return { kind: x.kind, apiVersions: x.apiVersions, description: (schema as { description?: string }).description ?? '', spec, references, validate, builtin };
}

const kindSchemas = [component, api, resource, system, domain, group, user, location, template] as unknown as SchemaNode[];

/** The kinds the default Backstage processors accept, in the order the docs list them. */
export const BUILTIN_KINDS: readonly KindInfo[] = kindSchemas.map((s) => kindFromSchema(s, validators[s['x-kind']!.kind], true));

export function builtinKind(kind: string): KindInfo | undefined {
  return BUILTIN_KINDS.find((k) => k.kind === kind);
}

/** Compiles a custom kind's schema (declared by the user); errors are thrown to the caller. ajv is loaded on first use. */
export function compileSchema(schema: object): ValidateFunction {
  const { default: Ajv } = require('ajv') as typeof import('ajv');
  return new Ajv({ allErrors: true, strict: false, allowUnionTypes: true, verbose: true }).compile(schema);
}

export type { ErrorObject };
