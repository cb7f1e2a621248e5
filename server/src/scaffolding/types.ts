/**
 * Golden paths: the shapes shared by the scaffolding engine (templates, rendering, policy, writing,
 * updates), the language server's requests and the CLI. See docs/scaffolding.md.
 */
import type { CatalogIndex } from '../catalog/catalogIndex';
import type { Policies } from '../catalog/policies';

/** The answers to a template's parameters, by parameter name. */
export type Answers = Record<string, unknown>;

/** Where templates come from: the workspace, a folder named in settings, or the extension's own. */
export type TemplateOrigin = 'workspace' | 'folder' | 'bundled';

/** A folder of templates: `<id>/<version>/template.yaml` and `<id>/<version>/files/**`. */
export interface TemplateRoot {
  path: string;
  origin: TemplateOrigin;
}

/** `x-catalog` on a parameter: its answer is a ref to a catalog entity of one of these kinds. */
export interface CatalogPick {
  kinds: string[];
}

/** One question of a template, in order, as the wizard and the CLI need it. */
export interface TemplateParameter {
  name: string;
  title: string;
  description?: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'array';
  required: boolean;
  default?: unknown;
  enum?: unknown[];
  pattern?: string;
  catalog?: CatalogPick;
}

/** A template-specific policy rule: when every `when` condition holds, every `require` must. */
export interface TemplateRule {
  id: string;
  when: Record<string, Condition>;
  require: Record<string, Condition>;
  message: string;
}

/** A condition on one answer. An empty condition means "is answered". */
export interface Condition {
  equals?: unknown;
  contains?: string;
  pattern?: string;
}

/** template.yaml, as read and checked against schemas/template.schema.json. */
export interface Manifest {
  apiVersion: 'paved-road.dev/v1';
  kind: 'Template';
  id: string;
  version: string;
  type: 'service' | 'addition';
  title: string;
  description: string;
  tags: string[];
  extends?: string;
  remove?: string[];
  changes?: string;
  target?: string;
  /** A JSON Schema (draft-07) object schema of the answers. */
  parameters: { type: 'object'; required?: string[]; properties: Record<string, Record<string, unknown>> };
  rules?: TemplateRule[];
  verbatim?: string[];
  edits?: { dependsOn?: string[]; appendEntities?: string[] };
}

/** One version of a template, ready to render. */
export interface TemplateVersion {
  manifest: Manifest;
  /** The version folder. */
  dir: string;
  origin: TemplateOrigin;
  /** The root it came from, for messages and the answers file (`folder:<path>`). */
  root: string;
  /** The skeleton's files (after `extends` and `remove`): relative path → absolute path of the source file. */
  files: ReadonlyMap<string, string>;
  parameters: TemplateParameter[];
}

/** A template: every readable version of one id, newest first. */
export interface Template {
  id: string;
  versions: TemplateVersion[];
}

/** A file as a template renders it. */
export interface RenderedFile {
  /** Relative to the target folder, `/`-separated, checked safe. */
  path: string;
  content: string;
  executable?: boolean;
  /** `base64`: a verbatim file that is not UTF-8 text, its bytes in base64. */
  encoding?: 'base64';
}

/** A policy check that failed, with what to change. */
export interface Violation {
  /** `schema`, `naming`, `name-taken`, `catalog-ref`, `identity`, `role`, `own-team`, or a template rule's id. */
  rule: string;
  parameter?: string;
  message: string;
}

/** What writing a plan would do to one file. */
export interface PlannedFile {
  path: string;
  /** `new`: not there; `same`: there with this content; `changed`: there and different (needs consent); `edit`: an in-place edit (additions). */
  state: 'new' | 'same' | 'changed' | 'edit';
  content: string;
  executable?: boolean;
  /** As RenderedFile.encoding. */
  encoding?: 'base64';
}

/** A scaffold or an addition, rendered and checked, before anything is written. */
export interface Plan {
  action: 'scaffold' | 'add';
  template: string;
  version: string;
  origin: TemplateOrigin;
  root: string;
  answers: Answers;
  /** The folder written to: the new service, or the service an addition applies to. */
  target: string;
  files: PlannedFile[];
  violations: Violation[];
  /** Who asked, their role, and whether the role's runs are audited. */
  who?: string;
  role?: string;
  audited?: boolean;
}

/** `.paved-road/answers.yaml` of a service. */
export interface AnswersRecord {
  template: string;
  version: string;
  origin: string;
  answers: Answers;
  /** Rendered files and their hashes (`sha256-<hex>`). */
  files: Record<string, string>;
  additions?: Omit<AnswersRecord, 'additions'>[];
}

/** One line of `.paved-road/audit.jsonl`. */
export interface AuditEntry {
  at: string;
  who: string;
  role?: string;
  audited?: boolean;
  action: 'scaffold' | 'add' | 'update';
  template: string;
  version: string;
  answers: Answers;
  files: string[];
}

/** What the engine needs to plan: the catalog, the organisation's policies, who is asking, the templates. */
export interface ScaffoldContext {
  catalog: CatalogIndex;
  policies: Policies;
  /** The user's email, matched to a User entity of the catalog. */
  identity?: string;
  templates: Template[];
  now?: () => Date;
}

/** A scaffolding failure in words for the user (a bad path, a template that cannot be read, a refused write). */
export class ScaffoldError extends Error {}
