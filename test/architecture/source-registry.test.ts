/**
 * Sources come from one registry: `s3://` locations open as S3 prefixes (the SDK loaded only then), any
 * other location as a local folder.
 */
import { describe, expect, it } from 'vitest';
import { LocalLocation } from '../../src/sources/local/local-location.js';
import { openLocation } from '../../src/sources/open-location.js';
import { sourceFor } from '../../src/sources/source-registry.js';

const S3 = { noSignRequest: true, concurrency: 4 };

describe('the source registry', () => {
  it('names S3 for s3:// locations, in any case, and a local folder for anything else', () => {
    expect(sourceFor('s3://bucket/prefix').title).toBe('S3');
    expect(sourceFor('S3://bucket').title).toBe('S3');
    expect(sourceFor('./data/song_data').title).toBe('local folder');
    expect(sourceFor('/tmp/s3:/odd').title).toBe('local folder');
  });

  it('opens a local folder without touching S3', async () => {
    const location = await openLocation(new URL('../fixtures/tiny/song_data', import.meta.url).pathname, S3);
    expect(location).toBeInstanceOf(LocalLocation);
    expect(location.localFiles).toBe(true);
  });
});
