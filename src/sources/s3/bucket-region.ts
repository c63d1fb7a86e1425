/**
 * The region Redshift's COPY names for the S3 source. The classic scripts hard-code `region 'us-west-2'`,
 * where udacity-dend is; a cluster elsewhere must still name the bucket's region, never its own. In order:
 * the configured one (--region, SPARKIFY_REGION, [SPARKIFY] REGION, [S3] REGION, S3_REGION, BUCKET_REGION),
 * else a public bucket whose region is known (udacity-dend: us-west-2), else the bucket's own region as S3
 * reports it to one anonymous HeadBucket (S3 names it in `x-amz-bucket-region` even when it denies access).
 * When none of these answers, COPY gets no REGION clause and assumes the cluster's region.
 */
import { ConfigError } from '../../errors.js';
import type { Settings, S3Settings } from '../../config/settings.js';

/** Public buckets whose region is known without asking S3. */
export const KNOWN_BUCKET_REGIONS: Readonly<Record<string, string>> = { 'udacity-dend': 'us-west-2' };

// One HEAD, answered in well under a second when S3 can be reached; offline it fails at once or times out.
const LOOKUP_TIMEOUT_MS = 5_000;

interface RegionFinding {
  readonly region: string;
  readonly origin: string;
}

/**
 * `settings` with the S3 source's region filled in when none is configured (see the module comment).
 * Throws a ConfigError when the song and log buckets are in different regions, which one COPY region cannot serve.
 */
export async function withSourceRegion(settings: Settings): Promise<Settings> {
  if (settings.s3.region) return settings;
  const buckets = [...new Set([settings.songData, settings.logData].map(bucketOf).filter((bucket) => bucket !== undefined))];
  const findings = await Promise.all(buckets.map((bucket) => regionOfBucket(bucket, settings.s3)));
  const known = findings.filter((finding) => finding !== undefined);
  if (known.length === 0 || known.length < buckets.length) return settings;
  const [first, second] = known;
  if (second && second.region !== first!.region) {
    throw new ConfigError(
      `The song data's bucket ${buckets[0]} is in ${first!.region} and the log data's ${buckets[1]} in ${second.region}: ` +
        'one COPY region cannot serve both; keep both datasets in one region, or set [S3] REGION (--region) if S3 is mistaken',
    );
  }
  return { ...settings, s3: { ...settings.s3, region: first!.region, regionOrigin: first!.origin } };
}

/** The bucket of an `s3://bucket/prefix` location; undefined for a local folder. */
function bucketOf(location: string): string | undefined {
  return /^s3:\/\/([^/]+)/i.exec(location)?.[1];
}

async function regionOfBucket(bucket: string, s3: S3Settings): Promise<RegionFinding | undefined> {
  const known = KNOWN_BUCKET_REGIONS[bucket];
  if (known) return { region: known, origin: `where ${bucket} is (the classic public bucket, known without asking S3)` };
  const asked = await askS3(bucket, s3);
  return asked ? { region: asked, origin: `where S3 says bucket ${bucket} is` } : undefined;
}

// Anonymous, so no credential chain runs (and no credentials are needed): S3 names the region on 200, 301 and
// 403 alike. The SDK loads only here, as it does for every other S3 use.
async function askS3(bucket: string, s3: S3Settings): Promise<string | undefined> {
  const [{ HeadBucketCommand, S3Client }, { clientConfig, customEndpoint }, { bucketRegionOf }] = await Promise.all([
    import('@aws-sdk/client-s3'),
    import('./s3-client-factory.js'),
    import('./s3-error-mapper.js'),
  ]);
  const settings = { ...s3, noSignRequest: true, maxAttempts: 1 };
  const client = new S3Client(clientConfig(settings, 'us-east-1', customEndpoint(settings) !== undefined));
  try {
    const output = await client.send(new HeadBucketCommand({ Bucket: bucket }), { abortSignal: AbortSignal.timeout(LOOKUP_TIMEOUT_MS) });
    return output.BucketRegion;
  } catch (error) {
    return bucketRegionOf(error);
  } finally {
    client.destroy();
  }
}
