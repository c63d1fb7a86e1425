/**
 * Turns a location string (a folder, or `s3://bucket/prefix`) into a DataLocation, through the source that
 * claims it (`source-registry.ts`). The S3 client loads only when an S3 location is used.
 */
import type { S3Settings } from '../config/settings.js';
import { sourceFor } from './source-registry.js';
import type { DataLocation } from './source.js';

/** Opens `location` for listing and reading. */
export async function openLocation(location: string, s3: S3Settings): Promise<DataLocation> {
  return sourceFor(location).open(location, { s3 });
}
