/**
 * The JSON Schemas of `check -o json` (and `stat -o json`, below) over several contexts (schemas/check-clusters-report.schema.json),
 * derived from the single-cluster one so the two never drift: the same document (json.ts
 * `toJsonClusters`), with `cluster` on every mesh, source, object count and finding, per check the
 * status in each cluster, and the `contexts` and `clusters` lists. `npm run docs` writes it; a test
 * fails when the committed copy differs.
 */
type Schema = Record<string, unknown>;

const clone = <T>(value: T): T => structuredClone(value);
const CLUSTER = {type: 'string', description: 'the kubeconfig context it comes from'};

/** An object schema with a required `cluster` property added. */
function withCluster(schema: Schema): Schema {
  const out = clone(schema);
  out.required = ['cluster', ...((out.required as string[] | undefined) ?? [])];
  out.properties = {cluster: CLUSTER, ...(out.properties as Schema)};
  return out;
}

function items(property: unknown): Schema {
  return (property as {items: Schema}).items;
}

export function clustersReportSchema(single: Schema): Schema {
  const schema = clone(single);
  const properties = schema.properties as Record<string, Schema>;
  const definitions = schema.definitions as Record<string, Schema>;
  schema.title = 'meshdoctor check -o json, several contexts';
  schema.description = 'The report of `meshdoctor check -o json --context a,b` or `--all-contexts`: the single-cluster report\'s fields, with the cluster named on every finding, mesh, source and object count. Stable as the single-cluster report is.';
  schema.required = [...(schema.required as string[]), 'contexts', 'clusters'];
  properties.context = {type: 'null', description: 'null: several contexts were read (see contexts)'};
  properties.takenAt = {...properties.takenAt, description: 'when the last cluster was read'};
  for (const key of ['meshes', 'sources', 'objects']) properties[key] = {...properties[key], items: withCluster(items(properties[key]))};
  properties.contexts = {type: 'array', items: {type: 'string'}, description: 'the contexts, in the order they were given (--all-contexts: name order)'};
  properties.clusters = {
    type: 'array',
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'takenAt', 'summary', 'error'],
      properties: {
        name: CLUSTER,
        takenAt: {type: ['string', 'null'], format: 'date-time'},
        summary: {oneOf: [clone(properties.summary), {type: 'null'}], description: 'null when the cluster could not be read'},
        error: {type: ['string', 'null'], description: 'why the cluster could not be read (unreachable, unauthorised); null when it was'},
      },
    },
  };
  properties.summary = {...properties.summary, description: 'the clusters that were read, added up'};
  definitions.finding = withCluster(definitions.finding);
  definitions.suppressedFinding = withCluster(definitions.suppressedFinding);
  const check = definitions.check;
  const checkProperties = check.properties as Record<string, Schema>;
  check.required = [...(check.required as string[]), 'clusters'];
  checkProperties.status = {...checkProperties.status, description: 'the worst over the clusters: crash, fail, skip, pass, not-applicable'};
  checkProperties.clusters = {
    type: 'array',
    description: 'the check in each cluster that was read',
    items: {type: 'object', additionalProperties: false, required: ['name', 'status', 'reason'], properties: {name: CLUSTER, status: clone(checkProperties.status), reason: clone(checkProperties.reason)}},
  };
  return schema;
}

/**
 * `stat -o json` over several contexts (schemas/stat-clusters-report.schema.json), derived from the
 * single-cluster stat schema: per context where its numbers come from (or its error), and every
 * workload naming its cluster.
 */
export function statClustersReportSchema(single: Schema): Schema {
  const schema = clone(single);
  const properties = schema.properties as Record<string, Schema>;
  const orNull = (s: Schema): Schema => ({oneOf: [clone(s), {type: 'null'}]});
  return {
    ...schema,
    title: 'meshdoctor stat -o json, several contexts',
    description: 'Golden metrics per workload from `meshdoctor stat -o json --context a,b` or `--all-contexts`: every cluster\'s workloads, worst first over all of them, each naming its cluster. Stable as the single-cluster document is.',
    required: ['schemaVersion', 'contexts', 'clusters', 'workloads'],
    properties: {
      schemaVersion: properties.schemaVersion,
      contexts: {type: 'array', items: {type: 'string'}, description: 'the contexts, in the order they were given (--all-contexts: name order)'},
      clusters: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['name', 'at', 'window', 'source', 'error'],
          properties: {
            name: CLUSTER,
            at: {type: ['string', 'null'], format: 'date-time'},
            window: {type: ['string', 'null']},
            source: orNull(properties.source),
            error: {type: ['string', 'null'], description: 'why the cluster could not be read; null when it was'},
          },
        },
      },
      workloads: {...properties.workloads, items: withCluster(items(properties.workloads))},
    },
  };
}
