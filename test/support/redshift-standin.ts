/**
 * A stand-in for a Redshift cluster in tests: the real RedshiftWarehouse class (its dialect, its staged
 * loading, its run lock, its publish SQL) connected to the test PostgreSQL server. Statements go through
 * as sent, after the clauses PostgreSQL lacks are taken out (`asPostgres` of the loopback Data API); a
 * `COPY ... MANIFEST` does what Redshift does with it: reads the manifest from S3 (the loopback s3rver),
 * fetches every object it lists, checks its size against `content_length`, gunzips it, and loads its CSV
 * into the table with PostgreSQL's COPY. Every statement and every manifest COPY is recorded.
 *
 * The staged objects are therefore loaded for real; only Redshift's own CSV parser is replaced by
 * PostgreSQL's, which reads the same quoting (text in double quotes, NULL as an empty unquoted field).
 */
import { S3Client } from '@aws-sdk/client-s3';
import pg from 'pg';
import { RedshiftWarehouse } from '../../src/warehouses/redshift/redshift-warehouse.js';
import { registerWarehouse } from '../../src/warehouses/warehouse-registry.js';
import type { ServerTarget } from '../../src/warehouses/postgres/postgres-target.js';
import { describeServerTarget, parseServerTarget, serverTargetSecrets } from '../../src/warehouses/postgres/postgres-target.js';
import { redshiftPlanner } from '../../src/warehouses/redshift/redshift-descriptor.js';
import type { QueryParam, ResultRow, WarehouseOpenOptions } from '../../src/warehouses/warehouse.js';
import { asPostgres } from './aws-server/data-api-service.js';
import { isManifestCopy, type ManifestCopy, runManifestCopy } from './manifest-copy.js';
import { S3RVER_CREDENTIALS } from './s3-server.js';

export type { ManifestCopy } from './manifest-copy.js';

/** What every stand-in of a test has done, shared across the warehouses a run opens. */
export interface StandInLog {
  readonly statements: string[];
  readonly copies: ManifestCopy[];
}

/** The RedshiftWarehouse on PostgreSQL; see the module comment. */
class RedshiftStandIn extends RedshiftWarehouse {
  constructor(
    target: ServerTarget,
    options: WarehouseOpenOptions,
    private readonly log: StandInLog,
    private readonly s3: S3Client,
  ) {
    super(target, options);
  }

  override async execute(sql: string): Promise<void> {
    this.log.statements.push(sql);
    if (isManifestCopy(sql)) return this.copyManifest(sql);
    if (/^\s*COPY\s/i.test(sql)) throw new Error('The Redshift stand-in runs only COPY ... MANIFEST');
    return super.execute(asPostgres(sql, []));
  }

  override async query(sql: string, params?: readonly QueryParam[]): Promise<ResultRow[]> {
    this.log.statements.push(sql);
    return super.query(asPostgres(sql, []), params);
  }

  // Redshift's manifest COPY (manifest-copy.ts), on a session of its own in the warehouse's schema.
  private async copyManifest(sql: string): Promise<void> {
    const client = new pg.Client({ connectionString: standInPostgresUrl(this.target) });
    await client.connect();
    try {
      if (this.target.schema) await client.query(`SET search_path TO "${this.target.schema}"`);
      this.log.copies.push(await runManifestCopy(client, sql, this.s3));
    } finally {
      await client.end();
    }
  }
}

// The plain PostgreSQL URL behind a stand-in target (schema and sslmode taken out).
function standInPostgresUrl(target: ServerTarget): string {
  const url = new URL(target.url!.replace(/^redshift-standin:/, 'postgres:'));
  url.searchParams.delete('schema');
  url.searchParams.delete('sslmode');
  return url.toString();
}

/**
 * Registers the `redshift-standin://` warehouse (a PostgreSQL URL with another scheme) whose warehouses
 * record into the returned log and read S3 from `s3Endpoint`; call `unregister` when done.
 */
export function registerRedshiftStandIn(s3Endpoint: string): { log: StandInLog; unregister: () => void } {
  const log: StandInLog = { statements: [], copies: [] };
  const s3 = new S3Client({ endpoint: s3Endpoint, region: 'us-east-1', forcePathStyle: true, credentials: S3RVER_CREDENTIALS });
  const unregister = registerWarehouse<ServerTarget>({
    kind: 'redshift-standin',
    title: 'Redshift (stand-in on PostgreSQL)',
    schemes: ['redshift-standin'],
    example: 'redshift-standin://user@127.0.0.1:5432/db',
    settings: ['schema', 'iamRole', 'region', 'logJsonPath'],
    // Its own kind, so the registry opens it here; a ServerTarget in every other respect.
    parse: (value, origin) =>
      ({
        ...parseServerTarget(value.replace(/^redshift-standin:/, 'postgres:'), origin, 'postgres'),
        kind: 'redshift-standin',
      }) as unknown as ServerTarget,
    describe: describeServerTarget,
    secrets: serverTargetSecrets,
    open: async (target, options) => {
      const url = new URL(target.url!);
      url.searchParams.set('sslmode', 'disable');
      return new RedshiftStandIn({ ...target, url: url.toString() }, options, log, s3).connect();
    },
    planner: redshiftPlanner,
  });
  return {
    log,
    unregister: () => {
      unregister();
      s3.destroy();
    },
  };
}
