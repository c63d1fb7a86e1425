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
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { RedshiftWarehouse } from '../../src/warehouses/redshift/redshift-warehouse.js';
import { registerWarehouse } from '../../src/warehouses/warehouse-registry.js';
import type { ServerTarget } from '../../src/warehouses/postgres/postgres-target.js';
import { describeServerTarget, parseServerTarget, serverTargetSecrets } from '../../src/warehouses/postgres/postgres-target.js';
import { redshiftPlanner } from '../../src/warehouses/redshift/redshift-descriptor.js';
import type { QueryParam, ResultRow, WarehouseOpenOptions } from '../../src/warehouses/warehouse.js';
import { asPostgres } from './aws-server/data-api-service.js';
import { S3RVER_CREDENTIALS } from './s3-server.js';

/** One COPY ... MANIFEST the stand-in ran. */
export interface ManifestCopy {
  readonly table: string;
  readonly manifest: string;
  /** The objects the manifest listed, with their sizes. */
  readonly objects: readonly { url: string; bytes: number }[];
  readonly rows: number;
}

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
    if (/^\s*COPY\s[\s\S]*\bMANIFEST\b/i.test(sql)) return this.copyManifest(sql);
    if (/^\s*COPY\s/i.test(sql)) throw new Error('The Redshift stand-in runs only COPY ... MANIFEST');
    return super.execute(asPostgres(sql, []));
  }

  override async query(sql: string, params?: readonly QueryParam[]): Promise<ResultRow[]> {
    this.log.statements.push(sql);
    return super.query(asPostgres(sql, []), params);
  }

  // Redshift's manifest COPY: every listed object, mandatory, of the size the manifest says.
  private async copyManifest(sql: string): Promise<void> {
    const match = /^\s*COPY\s+("?\w+"?)\s*\(([^)]*)\)\s*FROM\s+'([^']+)'/i.exec(sql);
    if (!match) throw new Error(`The stand-in cannot read this COPY: ${sql}`);
    const [, table, columns, manifestUrl] = match as unknown as [string, string, string, string];
    if (!/\bFORMAT AS CSV\b/.test(sql) || !/\bGZIP\b/.test(sql)) throw new Error('The stand-in reads gzip CSV only');
    const manifest = JSON.parse((await this.fetch(manifestUrl)).toString('utf8')) as {
      entries: { url: string; mandatory: boolean; meta: { content_length: number } }[];
    };
    const client = new pg.Client({ connectionString: standInPostgresUrl(this.target) });
    await client.connect();
    let rows = 0;
    try {
      if (this.target.schema) await client.query(`SET search_path TO "${this.target.schema}"`);
      for (const entry of manifest.entries) {
        if (!entry.mandatory) throw new Error(`${entry.url}: sparkify's manifests list every object as mandatory`);
        const body = await this.fetch(entry.url);
        if (body.length !== entry.meta.content_length)
          throw new Error(`${entry.url} holds ${body.length} bytes, the manifest says ${entry.meta.content_length}`);
        const stream = client.query(copyFrom(`COPY ${table} (${columns}) FROM STDIN WITH (FORMAT csv)`));
        await pipeline(Readable.from([gunzipSync(body)]), stream);
        rows += Number(stream.rowCount ?? 0);
      }
    } finally {
      await client.end();
    }
    this.log.copies.push({
      table: table.replaceAll('"', ''),
      manifest: manifestUrl,
      objects: manifest.entries.map((entry) => ({ url: entry.url, bytes: entry.meta.content_length })),
      rows,
    });
  }

  private async fetch(url: string): Promise<Buffer> {
    const [, bucket, key] = /^s3:\/\/([^/]+)\/(.+)$/.exec(url) ?? [];
    const object = await this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return Buffer.from(await object.Body!.transformToByteArray());
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
