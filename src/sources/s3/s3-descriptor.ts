/**
 * S3 prefixes, as the source registry knows them: `s3://bucket/prefix`, read with the S3 settings (region,
 * endpoint, unsigned requests, concurrency). The AWS SDK loads only when one is opened.
 */
import type { SourceDescriptor } from '../source.js';

/** The S3 descriptor. */
export const s3Source: SourceDescriptor = {
  title: 'S3',
  matches: (location) => /^s3:\/\//i.test(location),
  async open(location, settings) {
    const { S3Location } = await import('./s3-location.js');
    return S3Location.open(location, settings.s3);
  },
};
