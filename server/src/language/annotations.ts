/**
 * A curated catalogue of well-known annotation keys: what each one is for and what its value looks like.
 * Backstage has no central registry of plugin annotations, so this list is hand-kept (core catalog
 * annotations, the documented well-known ones, and a few widely used plugin ones). Descriptions are ours.
 */

export interface AnnotationInfo {
  key: string;
  /** One or two sentences: what the annotation does. */
  description: string;
  /** The expected value, in words (markdown). */
  format: string;
  /** An example value, also the placeholder completion inserts. */
  example: string;
  /** The kinds it is usually written on (completion ranks these first); any kind when absent. */
  kinds?: string[];
  /** Written by the catalog or an entity provider, not by hand: not offered in completion. */
  managed?: 'catalog' | 'provider' | 'scaffolder';
  /** Replaced by another annotation: not offered in completion. */
  deprecated?: string;
}

const CODE = ['Component', 'API', 'Resource', 'System', 'Template'];

export const WELL_KNOWN_ANNOTATIONS: readonly AnnotationInfo[] = [
  // Core catalog
  {
    key: 'backstage.io/managed-by-location',
    description: 'The location the catalog read this entity from. The catalog sets it on ingestion; a value written in the file is overwritten.',
    format: '`<type>:<target>`, e.g. `url:https://github.com/org/repo/blob/main/catalog-info.yaml`',
    example: 'url:https://github.com/org/repo/blob/main/catalog-info.yaml',
    managed: 'catalog',
  },
  {
    key: 'backstage.io/managed-by-origin-location',
    description: 'The location that first led the catalog to this entity (e.g. the registered Location). Set by the catalog; a value written in the file is overwritten.',
    format: '`<type>:<target>`',
    example: 'url:https://github.com/org/repo/blob/main/catalog-info.yaml',
    managed: 'catalog',
  },
  {
    key: 'backstage.io/orphan',
    description: 'Marks an entity whose location no longer emits it. Set by the catalog.',
    format: '`"true"`',
    example: '"true"',
    managed: 'catalog',
  },
  {
    key: 'backstage.io/source-location',
    description: 'Where the source code of the entity lives, when it is not next to this file. Used by TechDocs and source links.',
    format: '`url:<absolute URL>`; a folder must end with `/`',
    example: 'url:https://github.com/org/repo/tree/main/',
    kinds: CODE,
  },
  {
    key: 'backstage.io/view-url',
    description: 'A link shown as "View source" on the entity page.',
    format: 'an absolute URL',
    example: 'https://github.com/org/repo',
  },
  {
    key: 'backstage.io/edit-url',
    description: 'A link shown as "Edit" on the entity page, usually to this file in the repository.',
    format: 'an absolute URL',
    example: 'https://github.com/org/repo/edit/main/catalog-info.yaml',
  },
  // TechDocs
  {
    key: 'backstage.io/techdocs-ref',
    description: 'Where TechDocs finds the documentation (the folder holding `mkdocs.yml`).',
    format: '`dir:<path relative to this file>` (usually `dir:.`) or `url:<absolute URL>`',
    example: 'dir:.',
    kinds: CODE,
  },
  {
    key: 'backstage.io/techdocs-entity',
    description: 'Shows the documentation of another entity on this one, instead of building docs for it.',
    format: 'an entity reference, e.g. `component:default/docs-site`',
    example: 'component:default/docs-site',
  },
  // Scaffolder
  {
    key: 'backstage.io/source-template',
    description: 'The template the entity was created from. The scaffolder writes it.',
    format: 'an entity reference to a Template, e.g. `template:default/node-service`',
    example: 'template:default/node-service',
    managed: 'scaffolder',
  },
  // Kubernetes
  {
    key: 'backstage.io/kubernetes-id',
    description: 'Connects the entity to its Kubernetes objects: they carry the label `backstage.io/kubernetes-id` with the same value.',
    format: 'a label value (usually the entity name)',
    example: 'payments-service',
    kinds: ['Component', 'Resource'],
  },
  {
    key: 'backstage.io/kubernetes-namespace',
    description: 'Restricts the Kubernetes plugin to one namespace of the clusters.',
    format: 'a Kubernetes namespace name',
    example: 'payments',
    kinds: ['Component', 'Resource'],
  },
  {
    key: 'backstage.io/kubernetes-label-selector',
    description: 'Finds the entity\'s Kubernetes objects by a label selector instead of `backstage.io/kubernetes-id`.',
    format: 'a Kubernetes label selector, e.g. `app=payments,env=prod`',
    example: 'app=payments',
    kinds: ['Component', 'Resource'],
  },
  // Source control and CI
  {
    key: 'github.com/project-slug',
    description: 'The GitHub repository of the entity, for the GitHub plugins (Actions, pull requests, insights).',
    format: '`<owner>/<repository>`',
    example: 'org/repo',
    kinds: CODE,
  },
  {
    key: 'github.com/team-slug',
    description: 'The GitHub team this Group corresponds to.',
    format: '`<organisation>/<team>`',
    example: 'org/team',
    kinds: ['Group'],
  },
  {
    key: 'github.com/user-login',
    description: 'The GitHub login of this User.',
    format: 'a GitHub user name',
    example: 'octocat',
    kinds: ['User'],
  },
  {
    key: 'gitlab.com/project-slug',
    description: 'The GitLab project of the entity, for the GitLab plugin.',
    format: '`<group>/<project>` (sub-groups separated by `/`)',
    example: 'group/project',
    kinds: CODE,
  },
  {
    key: 'gitlab.com/project-id',
    description: 'The numeric id of the GitLab project, an alternative to `gitlab.com/project-slug`.',
    format: 'a number, quoted: `"1234"`',
    example: '"1234"',
    kinds: CODE,
  },
  {
    key: 'dev.azure.com/project-repo',
    description: 'The Azure DevOps project and repository of the entity, for the Azure DevOps plugin.',
    format: '`<project>/<repository>`',
    example: 'project/repo',
    kinds: CODE,
  },
  {
    key: 'dev.azure.com/build-definition',
    description: 'Limits the Azure DevOps builds shown to one pipeline (useful in mono-repos).',
    format: 'the build definition (pipeline) name',
    example: 'payments-ci',
    kinds: CODE,
  },
  {
    key: 'jenkins.io/job-full-name',
    description: 'The Jenkins job that builds the entity.',
    format: '`[<instance>:]<folder>/<job>`',
    example: 'team/payments-build',
    kinds: CODE,
  },
  {
    key: 'circleci.com/project-slug',
    description: 'The CircleCI project that builds the entity.',
    format: '`<vcs>/<organisation>/<project>`, e.g. `github/org/repo`',
    example: 'github/org/repo',
    kinds: CODE,
  },
  {
    key: 'buildkite.com/project-slug',
    description: 'The Buildkite pipeline that builds the entity.',
    format: '`<organisation>/<pipeline>`',
    example: 'org/pipeline',
    kinds: CODE,
  },
  {
    key: 'gocd.org/pipelines',
    description: 'The GoCD pipelines of the entity.',
    format: 'pipeline names separated by commas',
    example: 'payments-build,payments-deploy',
    kinds: CODE,
  },
  // Quality, errors, monitoring
  {
    key: 'sonarqube.org/project-key',
    description: 'The SonarQube project whose code-quality findings are shown.',
    format: '`[<instance>/]<project key>`',
    example: 'payments-service',
    kinds: CODE,
  },
  {
    key: 'backstage.io/code-coverage',
    description: 'Turns on the code-coverage plugin for the entity.',
    format: '`enabled`, or `scm-only` to count only files under source control',
    example: 'enabled',
    kinds: CODE,
  },
  {
    key: 'sentry.io/project-slug',
    description: 'The Sentry project whose issues are shown.',
    format: '`[<organisation>/]<project>`',
    example: 'payments-service',
    kinds: CODE,
  },
  {
    key: 'rollbar.com/project-slug',
    description: 'The Rollbar project whose items are shown.',
    format: '`[<organisation>/]<project>`',
    example: 'org/payments-service',
    kinds: CODE,
  },
  {
    key: 'periskop.io/service-name',
    description: 'The service name in Periskop, for its exception aggregation.',
    format: 'the Periskop service name',
    example: 'payments-service',
    kinds: CODE,
  },
  {
    key: 'lighthouse.com/website-url',
    description: 'The public URL the Lighthouse plugin audits.',
    format: 'an absolute URL',
    example: 'https://www.example.com',
    kinds: ['Component'],
  },
  {
    key: 'grafana/dashboard-selector',
    description: 'Selects the Grafana dashboards shown for the entity.',
    format: 'a Grafana dashboard query, e.g. a tag name',
    example: 'payments',
    kinds: CODE,
  },
  // On-call
  {
    key: 'pagerduty.com/service-id',
    description: 'The PagerDuty service of the entity, for incidents and on-call.',
    format: 'a PagerDuty service id',
    example: 'PABC123',
    kinds: CODE,
  },
  {
    key: 'pagerduty.com/integration-key',
    description: 'The PagerDuty integration key of the entity\'s service (an alternative to `pagerduty.com/service-id`).',
    format: 'a PagerDuty integration key',
    example: 'abc123def456',
    kinds: CODE,
  },
  {
    key: 'opsgenie.com/component-selector',
    description: 'Selects the Opsgenie alerts shown for the entity.',
    format: 'an Opsgenie search query, e.g. `tag:"service:payments"`',
    example: "'tag:\"service:payments\"'",
    kinds: CODE,
  },
  // Other
  {
    key: 'backstage.io/adr-location',
    description: 'Where the architecture decision records of the entity are, for the ADR plugin.',
    format: 'a path relative to this file, or an absolute URL of a folder',
    example: 'docs/adrs',
    kinds: CODE,
  },
  {
    key: 'vault.io/secrets-path',
    description: 'The path of the entity\'s secrets in Vault, for the Vault plugin.',
    format: 'a path relative to the secrets engine mount',
    example: 'payments/prod',
    kinds: CODE,
  },
  // Written by entity providers
  {
    key: 'backstage.io/ldap-rdn',
    description: 'The relative distinguished name of the LDAP entry this entity came from. Set by the LDAP provider.',
    format: 'an LDAP RDN value',
    example: 'payments',
    kinds: ['Group', 'User'],
    managed: 'provider',
  },
  {
    key: 'backstage.io/ldap-uuid',
    description: 'The UUID of the LDAP entry this entity came from. Set by the LDAP provider.',
    format: 'a UUID',
    example: '00000000-0000-0000-0000-000000000000',
    kinds: ['Group', 'User'],
    managed: 'provider',
  },
  {
    key: 'backstage.io/ldap-dn',
    description: 'The distinguished name of the LDAP entry this entity came from. Set by the LDAP provider.',
    format: 'an LDAP DN, e.g. `cn=payments,ou=groups,dc=example,dc=com`',
    example: 'cn=payments,ou=groups,dc=example,dc=com',
    kinds: ['Group', 'User'],
    managed: 'provider',
  },
  {
    key: 'graph.microsoft.com/tenant-id',
    description: 'The Microsoft Entra (Azure AD) tenant this entity came from. Set by the Microsoft Graph provider.',
    format: 'a UUID',
    example: '00000000-0000-0000-0000-000000000000',
    kinds: ['Group', 'User'],
    managed: 'provider',
  },
  {
    key: 'graph.microsoft.com/group-id',
    description: 'The Microsoft Entra (Azure AD) group this Group came from. Set by the Microsoft Graph provider.',
    format: 'a UUID',
    example: '00000000-0000-0000-0000-000000000000',
    kinds: ['Group'],
    managed: 'provider',
  },
  {
    key: 'graph.microsoft.com/user-id',
    description: 'The Microsoft Entra (Azure AD) user this User came from. Set by the Microsoft Graph provider.',
    format: 'a UUID',
    example: '00000000-0000-0000-0000-000000000000',
    kinds: ['User'],
    managed: 'provider',
  },
  // Deprecated
  {
    key: 'backstage.io/github-actions-id',
    description: 'The GitHub repository for the GitHub Actions plugin.',
    format: '`<owner>/<repository>`',
    example: 'org/repo',
    deprecated: 'github.com/project-slug',
  },
  {
    key: 'backstage.io/definition-at-location',
    description: 'Pulled an API definition from a location.',
    format: '`url:<absolute URL>`',
    example: 'url:https://example.com/openapi.yaml',
    deprecated: 'a `$text` placeholder in `spec.definition`',
  },
  {
    key: 'jenkins.io/github-folder',
    description: 'The Jenkins folder of the entity.',
    format: 'a Jenkins folder path',
    example: 'team/payments',
    deprecated: 'jenkins.io/job-full-name',
  },
];

const BY_KEY = new Map(WELL_KNOWN_ANNOTATIONS.map((a) => [a.key, a]));

export function annotationInfo(key: string): AnnotationInfo | undefined {
  return BY_KEY.get(key);
}

/** Markdown for an annotation: what it does, its value format, an example. */
export function annotationMarkdown(a: AnnotationInfo): string {
  const parts = [`**${a.key}** (annotation)`, a.description, `Value: ${a.format}.`, `Example: \`${a.key}: ${a.example}\``];
  if (a.managed === 'catalog') parts.push('Set by the catalog: do not write it in a descriptor file.');
  else if (a.managed === 'provider') parts.push('Usually written by an entity provider, not by hand.');
  else if (a.managed === 'scaffolder') parts.push('Written by the scaffolder when it creates the entity.');
  if (a.deprecated) parts.push(`Deprecated: use ${a.deprecated.includes('`') || a.deprecated.includes(' ') ? a.deprecated : `\`${a.deprecated}\``} instead.`);
  return parts.join('\n\n');
}
