/**
 * Placeholder until the S3 source lands.
 */
import type { Readable } from 'node:stream';
import { SourceError } from '../../errors.js';
import type { S3Settings } from '../../config/settings.js';
import type { DataLocation, SourceObject } from '../source.js';

/** An S3 prefix. */
export class S3Location implements DataLocation {
  readonly skipped: readonly string[] = [];
  private constructor(readonly uri: string) {}

  /** Opens `uri` (s3://bucket/prefix). */
  static async open(uri: string, _settings: S3Settings): Promise<S3Location> {
    throw new SourceError(`Reading ${uri}: S3 sources are not available yet`);
  }

  list(): AsyncIterable<SourceObject> {
    throw new SourceError('not available');
  }

  read(): Promise<Buffer> {
    throw new SourceError('not available');
  }

  stream(): Readable {
    throw new SourceError('not available');
  }
}
