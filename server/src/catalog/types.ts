/**
 * The engine's data model. Everything here is plain data: no VS Code, no LSP connection.
 * Positions inside the engine are offsets into the file text (UTF-16 code units, as JS strings);
 * line/character ranges are made only at the edges (LSP handlers, CLI).
 */

/** How bad a problem is. `error` means the Backstage catalog would reject the entity. */
export type Severity = 'error' | 'warning' | 'info';

/** One finding, on the exact key or value that is wrong. */
export interface Problem {
  /** Stable code, e.g. `name-format`, `yaml-syntax`, `schema-required`. */
  code: string;
  message: string;
  severity: Severity;
  /** Offsets into the whole file text, `start <= end`. */
  start: number;
  end: number;
  /** Other places that explain the problem (e.g. the other definition of a duplicate). */
  related?: RelatedPlace[];
  /** Data for quick fixes, e.g. the did-you-mean replacements. */
  data?: ProblemData;
}

/** A place in another file (or this one), as a 0-based range. */
export interface RelatedPlace {
  uri: string;
  start: { line: number; character: number };
  end: { line: number; character: number };
  message: string;
}

/** What a quick fix needs to know about a problem. */
export interface ProblemData {
  /** Replacements for the text of the problem's range, best first. */
  replacements?: string[];
  /** A line to insert after the line where the problem starts (e.g. a missing required key). */
  insertLineAfter?: string;
}

/** The identity of an entity as Backstage computes it. */
export interface EntityIdentity {
  kind: string;
  namespace: string;
  name: string;
  /** `kind:namespace/name`, lower-cased as Backstage's stringifyEntityRef does. */
  ref: string;
}

/** The verdict on one YAML document of a file. */
export interface DocumentAnalysis {
  /** 0-based position of the document in the file (empty documents count, as in Backstage). */
  docIndex: number;
  /** Offsets of the document's text (without its `---` marker line). */
  start: number;
  end: number;
  /** True for an empty or comment-only document, which Backstage ignores. */
  empty: boolean;
  /**
   * Present when kind and metadata.name could be read and the document has no YAML error (the catalog
   * ingests nothing from such a document, so it has no identity in the index, the CLI's JSON or its count).
   */
  entity?: EntityIdentity;
  problems: Problem[];
  /** False when any problem has severity `error`. */
  valid: boolean;
}

/** The verdict on a whole file. */
export interface FileAnalysis {
  documents: DocumentAnalysis[];
}
