/**
 * The Backstage oracle: judges one catalog YAML text exactly as the Backstage catalog would, one
 * verdict per YAML document, by running the *released* Backstage functions in the order of
 * @backstage/plugin-catalog-backend 4.0.5 (see /work/shared/research/anchors-language.md §1.2-1.4).
 *
 * Only the catalog-backend orchestration glue (which is not installed: it needs a database) is
 * re-created here; every validator, policy and reference parser is Backstage's own code from
 * @backstage/catalog-model 1.10.3 and @backstage/plugin-scaffolder-common 2.4.0, loaded through their
 * CommonJS builds (the ESM build of catalog-model does not load in plain Node).
 *
 * Model of the registration (needed wherever Backstage reads other files):
 *   The judged file is registered as a `url` location (the usual case: a file in a Git repository),
 *   and the directory of `options.path` stands in for the file's folder in that repository. Relative
 *   `$text`/`$json`/`$yaml` values and relative Location targets are therefore resolved against the
 *   file's directory, exactly as `new URL(relative, base)` does in `defaultScmResolveUrl`.
 *   Absolute URLs, repository-root paths (`/x`), globs, and Location targets of `type: file` would
 *   need the network, the repository root or the backend's working directory: the oracle throws
 *   `OracleUnsupportedError` rather than guess, so such inputs cannot slip into the corpus.
 *
 * Deliberately not emulated (configuration-dependent, see the report):
 *   - `catalog.rules` (the default `allow: [Component, API, Location]` would reject other kinds from a
 *     registered file): the oracle assumes a catalog whose rules allow every kind.
 *   - CodeOwnersProcessor (would fill a missing `spec.owner` from a CODEOWNERS file): assumed absent.
 *   - AnnotateLocationEntityProcessor only adds valid string annotations that the entity does not
 *     already set; it cannot change a verdict, so it is skipped.
 *   - Cross-file effects (conflicting entity refs from two locations, a later document of the same file
 *     with the same ref silently replacing an earlier one).
 */
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseAllDocuments } from 'yaml';
import {
  DefaultNamespaceEntityPolicy,
  EntityPolicies,
  FieldFormatEntityPolicy,
  NoForeignRootFieldsEntityPolicy,
  SchemaValidEntityPolicy,
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  domainEntityV1alpha1Validator,
  entityEnvelopeSchemaValidator,
  entitySchemaValidator,
  getCompoundEntityRef,
  groupEntityV1alpha1Validator,
  locationEntityV1alpha1Validator,
  makeValidator,
  parseEntityRef,
  resourceEntityV1alpha1Validator,
  stringifyEntityRef,
  systemEntityV1alpha1Validator,
  userEntityV1alpha1Validator,
} from '@backstage/catalog-model';
import type { Entity } from '@backstage/catalog-model';
import { templateEntityV1beta3Validator } from '@backstage/plugin-scaffolder-common';

/** Where in the pipeline a document was rejected. */
export type OracleStage =
  | 'yaml' // parseEntityYaml: document.errors, or toJSON() threw (undefined alias, alias bomb)
  | 'root' // parseEntityYaml: the document is not a plain object
  | 'envelope' // ProcessorOutputCollector: entityEnvelopeSchemaValidator
  | 'annotations' // ProcessorOutputCollector: metadata.annotations must be a valid object
  | 'placeholder' // PlaceholderProcessor.preProcessEntity
  | 'policy' // SchemaValid / DefaultNamespace / NoForeignRootFields / FieldFormat policies
  | 'schema' // entitySchemaValidator after preprocessing
  | 'kind' // kind validators threw, or nobody recognised the entity
  | 'location' // reading a Location entity's targets
  | 'relations'; // postProcessEntity: parseEntityRef of a reference field

export interface OracleDocument {
  /** 0-based index in `parseAllDocuments` order (empty documents count). */
  docIndex: number;
  /** Offsets of the document in the text (`Document.range[0]` .. `Document.range[2]`). */
  start: number;
  end: number;
  /** A document whose value is `null` (empty, comment-only, `~`, `null`): Backstage ignores it. */
  empty: boolean;
  valid: boolean;
  stage?: OracleStage;
  /** Backstage's own error text (as the catalog would record it), when rejected. */
  reason?: string;
  /** The document itself has a YAML error (Backstage then rejects the whole file). */
  yamlError: boolean;
  /**
   * The document's failure is reported on the file's location rather than on an entity (YAML error,
   * non-object root, envelope, annotations): the real catalog then drops every entity of the file.
   */
  rejectsFile: boolean;
  /** The `kind` / `apiVersion` as written, when they are strings (for coverage statistics). */
  kind?: string;
  apiVersion?: string;
}

export interface OracleFile {
  documents: OracleDocument[];
  /** True when the real catalog would drop every entity of this file (see `rejectsFile`). */
  fileRejected: boolean;
}

export interface OracleOptions {
  /** Absolute path of the judged file; relative placeholders and Location targets resolve against it. */
  path?: string;
}

/** Thrown for inputs whose verdict depends on something the oracle cannot see (network, repo root). */
export class OracleUnsupportedError extends Error {}

class Rejection extends Error {
  constructor(
    readonly stage: OracleStage,
    message: string,
  ) {
    super(message);
  }
}

/** `InputError(message, cause)` text, as @backstage/errors builds it. */
function withCause(message: string, cause: unknown): string {
  return `${message}; caused by ${String(cause)}`;
}

// ---------------------------------------------------------------------------------------------
// Built once: the same validator instances the catalog builds at start-up.

const validateEntityEnvelope = entityEnvelopeSchemaValidator();
const validateEntity = entitySchemaValidator();
const policy = EntityPolicies.allOf([
  new SchemaValidEntityPolicy(),
  new DefaultNamespaceEntityPolicy(),
  new NoForeignRootFieldsEntityPolicy(),
  new FieldFormatEntityPolicy(makeValidator()),
]);

interface KindValidatorLike {
  check(entity: Entity): Promise<boolean>;
}

/** The processors that implement validateEntityKind, in catalog order. */
const kindProcessors: Array<{ name: string; validators: KindValidatorLike[] }> = [
  {
    // BuiltinKindsEntityProcessor.validators, in its order
    name: 'BuiltinKindsEntityProcessor',
    validators: [
      apiEntityV1alpha1Validator,
      componentEntityV1alpha1Validator,
      resourceEntityV1alpha1Validator,
      groupEntityV1alpha1Validator,
      locationEntityV1alpha1Validator,
      userEntityV1alpha1Validator,
      systemEntityV1alpha1Validator,
      domainEntityV1alpha1Validator,
    ],
  },
  {
    // from @backstage/plugin-catalog-backend-module-scaffolder-entity-model
    name: 'ScaffolderEntitiesProcessor',
    validators: [templateEntityV1beta3Validator],
  },
];

/** Reference fields per kind (BuiltinKindsEntityProcessor / ScaffolderEntitiesProcessor.postProcessEntity). */
const RELATION_FIELDS: Record<string, Array<{ field: string; defaultKind?: string }>> = {
  Component: [
    { field: 'owner', defaultKind: 'Group' },
    { field: 'subcomponentOf', defaultKind: 'Component' },
    { field: 'providesApis', defaultKind: 'API' },
    { field: 'consumesApis', defaultKind: 'API' },
    { field: 'dependsOn' },
    { field: 'dependencyOf' },
    { field: 'system', defaultKind: 'System' },
  ],
  API: [
    { field: 'owner', defaultKind: 'Group' },
    { field: 'system', defaultKind: 'System' },
  ],
  Resource: [
    { field: 'owner', defaultKind: 'Group' },
    { field: 'dependsOn' },
    { field: 'dependencyOf' },
    { field: 'system', defaultKind: 'System' },
  ],
  User: [{ field: 'memberOf', defaultKind: 'Group' }],
  Group: [
    { field: 'parent', defaultKind: 'Group' },
    { field: 'children', defaultKind: 'Group' },
    { field: 'members', defaultKind: 'User' },
  ],
  System: [
    { field: 'owner', defaultKind: 'Group' },
    { field: 'domain', defaultKind: 'Domain' },
  ],
  Domain: [
    { field: 'owner', defaultKind: 'Group' },
    { field: 'subdomainOf', defaultKind: 'Domain' },
  ],
};

// ---------------------------------------------------------------------------------------------
// Small helpers

/** lodash.isPlainObject for values produced by yaml's toJSON()/JSON.parse. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** The repository-like "reader" of the emulated url location: a local file, or not found. */
type ReadResult = { found: true; content: string } | { found: false; error: string };

interface LocationContext {
  /** `file:` URL of the judged file (stands in for its https URL in the repository). */
  baseUrl: URL;
  /** The judged file's own text (a placeholder resolving to the file itself reads this). */
  selfText: string;
  selfPath: string;
}

/** ScmIntegrations.resolveUrl → defaultScmResolveUrl, on the emulated repository. */
function resolveRelative(value: string, ctx: LocationContext, what: string, globsMatter = false): string {
  let isAbsoluteUrl = false;
  try {
    new URL(value);
    isAbsoluteUrl = true;
  } catch {
    // relative: resolved against the file's URL below
  }
  if (isAbsoluteUrl) {
    throw new OracleUnsupportedError(`${what} ${JSON.stringify(value)} is an absolute URL (would be fetched over the network)`);
  }
  if (value.startsWith('/')) {
    throw new OracleUnsupportedError(`${what} ${JSON.stringify(value)} is relative to the repository root, which the oracle does not know`);
  }
  if (globsMatter && /[*[\]{}]/.test(value)) {
    // UrlReaderProcessor reads targets through reader.search(), which expands globs
    throw new OracleUnsupportedError(`${what} ${JSON.stringify(value)} looks like a glob`);
  }
  const url = new URL(value, ctx.baseUrl);
  url.search = ctx.baseUrl.search;
  return fileURLToPath(url);
}

function readEmulated(filePath: string, ctx: LocationContext): ReadResult {
  if (nodePath.resolve(filePath) === nodePath.resolve(ctx.selfPath)) {
    return { found: true, content: ctx.selfText };
  }
  try {
    const stat = fs.statSync(filePath);
    if (!stat.isFile()) return { found: false, error: `NotFoundError: ${filePath} is not a file` };
    return { found: true, content: fs.readFileSync(filePath).toString('utf-8') };
  } catch (e) {
    return { found: false, error: `NotFoundError: could not read ${filePath}, ${String(e)}` };
  }
}

// ---------------------------------------------------------------------------------------------
// PlaceholderProcessor.preProcessEntity, re-created from plugin-catalog-backend 4.0.5
// (src/processors/PlaceholderProcessor.ts). Semantics, exactly:
//   - scalars (and null) are returned unchanged; arrays are processed item by item;
//   - an object with no key starting with `$` is processed value by value;
//   - an object with a `$`-key and more than one key is left alone entirely (not even recursed);
//   - an object with exactly one key `$<name>`: if there is no resolver named <name> (only `text`,
//     `json`, `yaml` exist; `$ref`, `$TEXT`... are not) it is left alone; otherwise the resolver runs
//     and its result replaces the object (the result is not processed again);
//   - a resolver whose value is not a string throws ("expected a string value parameter");
//   - the value is resolved against the file's URL (`resolveUrl`); a read failure throws
//     ("could not read location");
//   - `$text`: the file content (utf-8); `$json`: JSON.parse (failure throws);
//     `$yaml`: yaml.parseAllDocuments(content) (default options) must give exactly one document
//     (an empty file gives 0, a trailing `---` gives 2), without errors; its toJSON() is the value.
// Any throw rejects the entity: "Processor PlaceholderProcessor threw an error while preprocessing".

function resolvePlaceholder(key: string, value: unknown, ctx: LocationContext): unknown {
  if (typeof value !== 'string') {
    throw new Error(`Placeholder $${key} expected a string value parameter, in the form of an absolute URL or a relative path`);
  }
  const target = resolveRelative(value, ctx, `Placeholder $${key}`);
  const read = readEmulated(target, ctx);
  if (!read.found) {
    throw new Error(`Placeholder $${key} could not read location ${value}, ${read.error}`);
  }
  const content = read.content;
  if (key === 'text') return content;
  if (key === 'json') {
    try {
      return JSON.parse(content);
    } catch (e) {
      throw new Error(`Placeholder $${key} failed to parse JSON data at ${value}, ${String(e)}`);
    }
  }
  // yaml
  const documents = parseAllDocuments(content).filter((d) => d);
  if (!Array.isArray(documents) || documents.length !== 1) {
    const n = Array.isArray(documents) ? documents.length : 0;
    throw new Error(`Placeholder $${key} expected to find exactly one document of data at ${value}, found ${n}`);
  }
  const document = documents[0];
  if (document.errors?.length) {
    throw new Error(`Placeholder $${key} found an error in the data at ${value}, ${String(document.errors[0])}`);
  }
  return document.toJSON();
}

const RESOLVERS = new Set(['text', 'json', 'yaml']);

function processPlaceholders(data: unknown, ctx: LocationContext): [unknown, boolean] {
  if (!data || !(data instanceof Object)) return [data, false];
  if (Array.isArray(data)) {
    const items = data.map((item) => processPlaceholders(item, ctx));
    return items.every(([, changed]) => !changed) ? [data, false] : [items.map(([item]) => item), true];
  }
  const obj = data as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (!keys.some((k) => k.startsWith('$'))) {
    const entries = Object.entries(obj).map(([k, v]) => [k, processPlaceholders(v, ctx)] as const);
    return entries.every(([, [, changed]]) => !changed)
      ? [data, false]
      : [Object.fromEntries(entries.map(([k, [v]]) => [k, v])), true];
  } else if (keys.length !== 1) {
    return [data, false];
  }
  const resolverKey = keys[0].substring(1);
  if (!RESOLVERS.has(resolverKey)) return [data, false];
  return [resolvePlaceholder(resolverKey, obj[keys[0]], ctx), true];
}

// ---------------------------------------------------------------------------------------------
// Ingestion of the documents of one file (parseEntityYaml + ProcessorOutputCollector.receive).

type Ingested =
  | { ok: true; entity: Entity }
  | { ok: false; stage: OracleStage; reason: string };

/**
 * parseEntityYaml for one already-parsed document, then ProcessorOutputCollector.receive for an
 * emitted entity. `locationRef` is the `url:` location string the catalog writes into the
 * managed-by-location annotations. Returns null for a document Backstage ignores.
 */
function ingestJson(json: unknown, locationRef: string, parentRef: string | undefined): Ingested | null {
  if (json === null) return null;
  if (!isPlainObject(json)) {
    return { ok: false, stage: 'root', reason: `Expected object at root, got ${typeof json}` };
  }
  let entity: Entity;
  try {
    entity = validateEntityEnvelope(json) as Entity;
  } catch (e) {
    return { ok: false, stage: 'envelope', reason: String(e) };
  }
  if (parentRef !== undefined && stringifyEntityRef(entity) === parentRef) {
    // "Ignored emitted entity ... whose ref was identical to the one being processed" (a warning)
    return null;
  }
  const annotations = entity.metadata.annotations || {};
  if (typeof annotations !== 'object' || Array.isArray(annotations)) {
    return { ok: false, stage: 'annotations', reason: 'Error: metadata.annotations must be a valid object' };
  }
  entity = {
    ...entity,
    metadata: {
      ...entity.metadata,
      annotations: {
        ...annotations,
        'backstage.io/managed-by-origin-location': locationRef,
        'backstage.io/managed-by-location': locationRef,
      },
    },
  };
  // The deferred entity is stored as JSON in refresh_state and read back for processing.
  return { ok: true, entity: JSON.parse(JSON.stringify(entity)) as Entity };
}

// ---------------------------------------------------------------------------------------------
// DefaultCatalogProcessingOrchestrator.processSingleEntity

async function processEntity(unprocessed: Entity, ctx: LocationContext): Promise<void> {
  let entity: Entity = unprocessed;
  try {
    validateEntityEnvelope(entity);
  } catch (e) {
    throw new Rejection('envelope', withCause('Entity envelope failed validation before processing', e));
  }
  const entityRef = stringifyEntityRef(entity);

  // preProcessEntity: PlaceholderProcessor (the other default pre-processors cannot change a verdict)
  try {
    entity = processPlaceholders(entity, ctx)[0] as Entity;
  } catch (e) {
    if (e instanceof OracleUnsupportedError) throw e;
    throw new Rejection('placeholder', withCause('Processor PlaceholderProcessor threw an error while preprocessing', e));
  }

  // enforcePolicy
  try {
    const enforced = await policy.enforce(entity);
    if (!enforced) throw new Error(`Policy unexpectedly returned no data for ${stringifyEntityRef(entity)}`);
    entity = enforced;
  } catch (e) {
    throw new Rejection('policy', withCause(`Policy check failed for ${stringifyEntityRef(entity)}`, e));
  }

  // validate
  if (stringifyEntityRef(entity) !== entityRef) {
    throw new Rejection('schema', 'Fatal: The entity kind, namespace, or name changed during processing');
  }
  try {
    validateEntity(entity);
  } catch (e) {
    throw new Rejection('schema', withCause(`Entity envelope for ${entityRef} failed validation after preprocessing`, e));
  }
  let valid = false;
  for (const processor of kindProcessors) {
    try {
      let thisValid = false;
      for (const validator of processor.validators) {
        if (await validator.check(entity)) {
          thisValid = true;
          break;
        }
      }
      if (thisValid) valid = true; // legacySingleProcessorValidation is off: every processor is asked
    } catch (e) {
      throw new Rejection(
        'kind',
        withCause(`Processor ${processor.name} threw an error while validating the entity ${entityRef}`, e),
      );
    }
  }
  if (!valid) {
    throw new Rejection(
      'kind',
      `No processor recognized the entity ${entityRef} as valid, possibly caused by a foreign kind or apiVersion`,
    );
  }

  if (entity.kind === 'Location') readLocationTargets(entity, entityRef, ctx);

  // postProcessEntity
  const selfRef = getCompoundEntityRef(entity);
  const spec = (entity.spec ?? {}) as Record<string, unknown>;
  const doEmit = (targets: unknown, context: { defaultKind?: string; defaultNamespace: string }, processor: string) => {
    if (!targets) return;
    for (const target of [targets].flat()) {
      try {
        parseEntityRef(target as string, context);
      } catch (e) {
        throw new Rejection('relations', withCause(`Processor ${processor} threw an error while postprocessing`, e));
      }
    }
  };
  for (const { field, defaultKind } of RELATION_FIELDS[entity.kind] ?? []) {
    doEmit(spec[field], { defaultKind, defaultNamespace: selfRef.namespace }, 'BuiltinKindsEntityProcessor');
  }
  if (entity.apiVersion === 'scaffolder.backstage.io/v1beta3' && entity.kind === 'Template') {
    // ScaffolderEntitiesProcessor (module 0.2.26): only spec.owner
    const target = spec.owner;
    if (target) doEmit(target, { defaultKind: 'Group', defaultNamespace: selfRef.namespace }, 'ScaffolderEntitiesProcessor');
  }
}

/**
 * runSpecialLocationStep + UrlReaderProcessor.readLocation. Errors the readers *emit* land in the
 * collector and make the result not ok, exactly like thrown ones; both reject the Location entity.
 */
function readLocationTargets(entity: Entity, entityRef: string, ctx: LocationContext): void {
  const spec = (entity.spec ?? {}) as { type?: string; presence?: string; target?: string; targets?: string[] };
  const { type = 'url', presence = 'required' } = spec;
  const targets: string[] = [];
  if (spec.target) targets.push(spec.target);
  if (spec.targets) targets.push(...spec.targets);
  for (const maybeRelativeTarget of targets) {
    if (type === 'file') {
      // the catalog would use the target as-is (relative to the backend's working directory)
      throw new OracleUnsupportedError(`Location target of type file: ${maybeRelativeTarget}`);
    }
    if (type !== 'url') {
      throw new Rejection('location', `No processor was able to handle reading of ${type}:${maybeRelativeTarget}`);
    }
    const targetPath = resolveRelative(maybeRelativeTarget, ctx, 'Location target', true);
    const read = readEmulated(targetPath, ctx);
    if (!read.found) {
      if (presence === 'optional') continue;
      throw new Rejection('location', `Unable to read url, no matching files found for ${maybeRelativeTarget}`);
    }
    const targetUrl = pathToFileURL(targetPath).toString();
    const docs = parseAllDocuments(read.content, { merge: false });
    for (const document of Array.isArray(docs) ? docs : []) {
      if (document.errors?.length) {
        throw new Rejection('location', `YAML error at url:${targetUrl}, ${String(document.errors[0])}`);
      }
      let json: unknown;
      try {
        json = document.toJSON();
      } catch (e) {
        throw new Rejection('location', `Unable to read url, ${String(e)}`);
      }
      const result = ingestJson(json, `url:${targetUrl}`, entityRef);
      if (result && !result.ok) {
        throw new Rejection('location', `${result.reason} (in ${maybeRelativeTarget})`);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------

/** Judges every document of `text` as the Backstage catalog would. */
export async function judgeText(text: string, options: OracleOptions = {}): Promise<OracleFile> {
  const selfPath = options.path ?? nodePath.join(process.cwd(), 'catalog-info.yaml');
  const baseUrl = pathToFileURL(selfPath);
  const ctx: LocationContext = { baseUrl, selfText: text, selfPath };
  const locationRef = `url:${baseUrl.toString()}`;

  const docs = parseAllDocuments(text, { merge: false });
  const documents: OracleDocument[] = [];
  for (const [docIndex, document] of (Array.isArray(docs) ? docs : []).entries()) {
    const range = document.range ?? [0, 0, 0];
    const out: OracleDocument = {
      docIndex,
      start: range[0],
      end: range[2],
      empty: false,
      valid: true,
      yamlError: false,
      rejectsFile: false,
    };
    documents.push(out);
    const reject = (stage: OracleStage, reason: string) => {
      out.valid = false;
      out.stage = stage;
      out.reason = reason;
      out.rejectsFile = ['yaml', 'root', 'envelope', 'annotations'].includes(stage);
      out.yamlError = stage === 'yaml';
    };
    if (document.errors?.length) {
      reject('yaml', `YAML error at ${locationRef}, ${String(document.errors[0])}`);
      continue;
    }
    let json: unknown;
    try {
      json = document.toJSON();
    } catch (e) {
      // thrown out of parseEntityYaml's generator: UrlReaderProcessor reports "Unable to read url, ..."
      reject('yaml', `Unable to read url, ${String(e)}`);
      continue;
    }
    if (isPlainObject(json)) {
      if (typeof json.kind === 'string') out.kind = json.kind;
      if (typeof json.apiVersion === 'string') out.apiVersion = json.apiVersion;
    }
    const ingested = ingestJson(json, locationRef, undefined);
    if (ingested === null) {
      out.empty = true;
      continue;
    }
    if (!ingested.ok) {
      reject(ingested.stage, ingested.reason);
      continue;
    }
    try {
      await processEntity(ingested.entity, ctx);
    } catch (e) {
      if (e instanceof Rejection) reject(e.stage, e.message);
      else throw e;
    }
  }
  return { documents, fileRejected: documents.some((d) => d.rejectsFile) };
}
