/**
 * What Redshift does with a `COPY ... FROM 's3://.../manifest' MANIFEST FORMAT AS CSV GZIP`, done on a
 * PostgreSQL session for the stand-ins of Redshift in tests (test/support/redshift-standin.ts and the
 * loopback Data API): reads the manifest from S3 (the loopback s3rver), fetches every object it lists,
 * checks each is mandatory and of the size the manifest says, gunzips it, and loads its CSV into the table
 * with PostgreSQL's COPY. Only Redshift's CSV parser is replaced by PostgreSQL's, which reads the same
 * quoting (text in double quotes, NULL as an empty unquoted field).
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** One COPY ... MANIFEST a stand-in ran. */
export interface ManifestCopy {
  readonly table: string;
  readonly manifest: string;
  /** The objects the manifest listed, with their sizes. */
  readonly objects: readonly { url: string; bytes: number }[];
  readonly rows: number;
}

/** True for the COPY statements `runManifestCopy` takes. */
export function isManifestCopy(sql: string): boolean {
  return /^\s*COPY\s[\s\S]*\bMANIFEST\b/i.test(sql);
}

/** Runs the manifest COPY `sql` on `client` (whose search_path names the tables), reading S3 through `s3`. */
export async function runManifestCopy(client: pg.Client, sql: string, s3: S3Client): Promise<ManifestCopy> {
  const match = /^\s*COPY\s+("?\w+"?)\s*\(([^)]*)\)\s*FROM\s+'([^']+)'/i.exec(sql);
  if (!match) throw new Error(`The stand-in cannot read this COPY: ${sql}`);
  const [, table, columns, manifestUrl] = match as unknown as [string, string, string, string];
  if (!/\bFORMAT AS CSV\b/.test(sql) || !/\bGZIP\b/.test(sql)) throw new Error('The stand-in reads gzip CSV only');
  const manifest = JSON.parse((await fetchObject(s3, manifestUrl)).toString('utf8')) as {
    entries: { url: string; mandatory: boolean; meta: { content_length: number } }[];
  };
  let rows = 0;
  for (const entry of manifest.entries) {
    if (!entry.mandatory) throw new Error(`${entry.url}: sparkify's manifests list every object as mandatory`);
    const body = await fetchObject(s3, entry.url);
    if (body.length !== entry.meta.content_length)
      throw new Error(`${entry.url} holds ${body.length} bytes, the manifest says ${entry.meta.content_length}`);
    const stream = client.query(copyFrom(`COPY ${table} (${columns}) FROM STDIN WITH (FORMAT csv)`));
    await pipeline(Readable.from([gunzipSync(body)]), stream);
    rows += Number(stream.rowCount ?? 0);
  }
  return {
    table: table.replaceAll('"', ''),
    manifest: manifestUrl,
    objects: manifest.entries.map((entry) => ({ url: entry.url, bytes: entry.meta.content_length })),
    rows,
  };
}

async function fetchObject(s3: S3Client, url: string): Promise<Buffer> {
  const [, bucket, key] = /^s3:\/\/([^/]+)\/(.+)$/.exec(url) ?? [];
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await object.Body!.transformToByteArray());
}
