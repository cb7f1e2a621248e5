/**
 * GitHub's rules for a query beyond the schema, which graphql-js's validate() does not check: every
 * connection needs `first` or `last`, from 1 to 100; a query may touch at most 500,000 nodes; and its
 * rate-limit cost is the number of requests needed to fill each connection (every enclosing connection
 * full), summed, divided by 100 and rounded, at least 1.
 */
import { getNamedType, Kind, TypeInfo, valueFromAST, visit, visitWithTypeInfo, type DocumentNode, type FieldNode, type GraphQLSchema } from 'graphql';

export const MAX_NODES = 500_000;

export function queryCost(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown>): { cost: number; nodes: number } | { errors: string[] } {
  const typeInfo = new TypeInfo(schema);
  const errors: string[] = [];
  // The sizes of the connections enclosing the field being visited (one entry per field on the path).
  const sizes: number[] = [];
  let requests = 0;
  let nodes = 0;
  const fragments = document.definitions.some((d) => d.kind === Kind.FRAGMENT_DEFINITION);
  if (fragments) errors.push('named fragments are not supported by this peer');
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field: {
        enter(node: FieldNode) {
          const def = typeInfo.getFieldDef();
          const type = typeInfo.getType();
          const named = type ? getNamedType(type) : undefined;
          const enclosing = sizes.reduce((a, b) => a * b, 1);
          if (!def || !named || !named.name.endsWith('Connection')) {
            sizes.push(1);
            return;
          }
          const arg = (name: string): number | undefined => {
            const a = node.arguments?.find((x) => x.name.value === name);
            const d = def.args.find((x) => x.name === name);
            const v = a && d ? valueFromAST(a.value, d.type, variables) : undefined;
            return typeof v === 'number' ? v : undefined;
          };
          const size = arg('first') ?? arg('last');
          if (size === undefined) errors.push(`You must provide a \`first\` or \`last\` value to properly paginate the \`${node.name.value}\` connection.`);
          else if (size < 1 || size > 100) errors.push(`Requesting ${size} records on the \`${node.name.value}\` connection exceeds the \`first\` limit of 100 records.`);
          const n = Math.max(1, Math.min(100, size ?? 1));
          requests += enclosing;
          nodes += enclosing * n;
          sizes.push(n);
        },
        leave() {
          sizes.pop();
        },
      },
    }),
  );
  if (nodes > MAX_NODES) errors.push(`This query requests up to ${nodes} possible nodes which exceeds the maximum limit of ${MAX_NODES}.`);
  if (errors.length) return { errors };
  return { cost: Math.max(1, Math.round(requests / 100)), nodes };
}
