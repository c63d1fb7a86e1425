/**
 * Turns a location string (a folder, or `s3://bucket/prefix`) into a DataLocation. The S3 client loads
 * only when an S3 location is used.
 */
import type { S3Settings } from '../config/settings.js';
import { LocalLocation } from './local/local-location.js';
import type { DataLocation } from './source.js';

/** True for `s3://...` locations. */
export function isS3Uri(location: string): boolean {
  return /^s3:\/\//i.test(location);
}

/** Opens `location` for listing and reading. */
export async function openLocation(location: string, s3: S3Settings): Promise<DataLocation> {
  if (isS3Uri(location)) {
    const { S3Location } = await import('./s3/s3-location.js');
    return S3Location.open(location, s3);
  }
  return new LocalLocation(location);
}
