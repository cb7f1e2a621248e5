/**
 * Backstage's field-format validators (catalog-model 1.10.3, makeValidator defaults), as pure predicates,
 * each with the words our messages use to say what is expected.
 */

const OBJECT_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_LABEL = /^[a-z0-9]+(?:-+[a-z0-9]+)*$/;
const API_VERSION_SUFFIX = /^[a-z0-9A-Z]+$/;
const KIND = /^[a-zA-Z][a-z0-9A-Z]*$/;
const TAG = /^[a-z0-9:+#]+(-[a-z0-9:+#]+)*$/;

export function isValidObjectName(v: unknown): boolean {
  return typeof v === 'string' && v.length >= 1 && v.length <= 63 && OBJECT_NAME.test(v);
}

export function isValidDnsLabel(v: unknown): boolean {
  return typeof v === 'string' && v.length >= 1 && v.length <= 63 && DNS_LABEL.test(v);
}

export function isValidDnsSubdomain(v: unknown): boolean {
  return typeof v === 'string' && v.length >= 1 && v.length <= 253 && v.split('.').every(isValidDnsLabel);
}

function isValidPrefixAndOrSuffix(v: unknown, prefix: (s: string) => boolean, suffix: (s: string) => boolean): boolean {
  if (typeof v !== 'string') return false;
  const parts = v.split('/');
  if (parts.length === 1) return suffix(parts[0]);
  if (parts.length === 2) return prefix(parts[0]) && suffix(parts[1]);
  return false;
}

export function isValidApiVersion(v: unknown): boolean {
  return isValidPrefixAndOrSuffix(v, isValidDnsSubdomain, (s) => s.length >= 1 && s.length <= 63 && API_VERSION_SUFFIX.test(s));
}

export function isValidKind(v: unknown): boolean {
  return typeof v === 'string' && v.length >= 1 && v.length <= 63 && KIND.test(v);
}

/** Label and annotation keys: `[prefix/]name`. */
export function isValidMetadataKey(v: unknown): boolean {
  return isValidPrefixAndOrSuffix(v, isValidDnsSubdomain, isValidObjectName);
}

export function isValidLabelValue(v: unknown): boolean {
  return v === '' || isValidObjectName(v);
}

export function isValidTag(v: unknown): boolean {
  return typeof v === 'string' && v.length >= 1 && v.length <= 63 && TAG.test(v);
}

export function isValidUrl(v: unknown): boolean {
  if (typeof v !== 'string') return false;
  try {
    new URL(v);
    return true;
  } catch {
    return false;
  }
}

export function isNonBlankString(v: unknown): boolean {
  return typeof v === 'string' && v.trim().length >= 1;
}

/** What each rule expects, in words, for messages. */
export const EXPECTED = {
  name: "1-63 characters of letters, digits, '-', '_' or '.', starting and ending with a letter or digit",
  namespace: "1-63 characters of lower-case letters and digits, in words separated by '-'",
  apiVersion: "'[prefix/]version': an optional lower-case DNS subdomain prefix, then 1-63 letters or digits (e.g. backstage.io/v1alpha1)",
  kind: '1-63 letters or digits, starting with a letter (e.g. Component)',
  metadataKey: "'[prefix/]name': an optional lower-case DNS subdomain prefix (e.g. example.com/), then 1-63 characters of letters, digits, '-', '_' or '.', starting and ending with a letter or digit",
  labelValue: "empty, or 1-63 characters of letters, digits, '-', '_' or '.', starting and ending with a letter or digit",
  tag: "1-63 characters of a-z, 0-9, ':', '+' or '#', in words joined by single '-' (e.g. java, pci-scoped)",
} as const;
