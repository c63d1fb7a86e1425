/**
 * The S3 staging location of staged loading (Redshift's `--s3-staging`): puts the compressed objects and
 * manifests, and deletes them after the COPY. One client for the run, made by the source's client factory
 * (credentials from the SDK's default chain, `--s3-endpoint` for S3-compatible stores, the bucket's own
 * region). The pipeline opens it and hands it to the warehouse as a `StagingStore`, so nothing under
 * warehouses/ imports the S3 client.
 */
import { DeleteObjectsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { SourceError } from '../../errors.js';
import type { StagingStore } from '../../warehouses/warehouse.js';
import { connectToBucket, type BucketConnection } from './s3-client-factory.js';
import { parseS3Uri } from './s3-location.js';

// S3's limit of keys per DeleteObjects request.
const DELETE_BATCH = 1000;

/** A staging prefix on S3, connected. */
export class StagingBucket implements StagingStore {
  private constructor(
    private readonly connection: BucketConnection,
    /** The staging prefix, `s3://bucket/prefix/`. */
    readonly location: string,
  ) {}

  /** Connects to the bucket of `location` (checked reachable, its region found). */
  static async open(location: string, s3: { readonly region?: string; readonly endpoint?: string }): Promise<StagingBucket> {
    const { bucket } = parseS3Uri(location);
    // Uploads always sign: --no-sign-request is for reading a public source, never for writing.
    const connection = await connectToBucket(bucket, { ...s3, noSignRequest: false, concurrency: 4 });
    return new StagingBucket(connection, location);
  }

  /** The staging bucket's region, which the COPY of its manifests names. */
  get region(): string {
    return this.connection.region;
  }

  /** Writes `body` at `url` (an s3:// URL in this bucket). */
  async put(url: string, body: Buffer, contentType: string): Promise<void> {
    try {
      await this.connection.client.send(
        new PutObjectCommand({ Bucket: this.connection.bucket, Key: this.key(url), Body: body, ContentType: contentType }),
      );
    } catch (error) {
      throw new SourceError(`Could not upload ${url} to the S3 staging location (s3:PutObject): ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  /** Deletes the objects at `urls`; a failure says which prefix to clean up by hand. */
  async delete(urls: readonly string[]): Promise<void> {
    for (let start = 0; start < urls.length; start += DELETE_BATCH) {
      const keys = urls.slice(start, start + DELETE_BATCH).map((url) => ({ Key: this.key(url) }));
      try {
        const result = await this.connection.client.send(
          new DeleteObjectsCommand({ Bucket: this.connection.bucket, Delete: { Objects: keys, Quiet: true } }),
        );
        const failed = result.Errors?.[0];
        if (failed) throw new Error(`${failed.Key}: ${failed.Message ?? failed.Code ?? 'not deleted'}`);
      } catch (error) {
        throw new SourceError(
          `Could not delete the staged objects under ${this.location} (s3:DeleteObject): ${(error as Error).message}; delete them by hand`,
          { cause: error },
        );
      }
    }
  }

  /** Ends the client. */
  close(): void {
    this.connection.client.destroy();
  }

  private key(url: string): string {
    const prefix = `s3://${this.connection.bucket}/`;
    if (!url.startsWith(prefix)) throw new Error(`${url} is not in ${prefix}`);
    return url.slice(prefix.length);
  }
}
