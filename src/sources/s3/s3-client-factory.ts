/**
 * Builds the S3 client the way aws CLI users expect, and finds the bucket's region.
 *
 * - Credentials: the SDK's default chain (environment, shared config and credentials files, AWS_PROFILE,
 *   SSO, web identity, container and instance roles), or none at all with --no-sign-request.
 * - Region: --region, else AWS_REGION or the profile (the SDK's own lookup), else the bucket's own region as
 *   S3 reports it (`x-amz-bucket-region`), else us-east-1.
 * - Endpoint: --s3-endpoint, else whatever the SDK resolves natively (AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL,
 *   the profile's endpoint_url); S3-compatible stores get path-style addressing.
 * - Retries: the SDK's retry strategy (standard mode: exponential backoff with jitter on throttling, 5xx and
 *   network errors); attempts from `maxAttempts`, AWS_MAX_ATTEMPTS or the profile's max_attempts.
 */
import { HeadBucketCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import type { S3Settings } from '../../config/settings.js';
import { bucketRegionOf, httpStatusOf, redactEndpoint, toSourceError, type S3ErrorContext } from './s3-error-mapper.js';

/** S3 settings plus what only a program sets. */
export interface S3ClientSettings extends S3Settings {
  /** Attempts per request, retries included (default: AWS_MAX_ATTEMPTS, the profile's max_attempts, or 3). */
  readonly maxAttempts?: number;
}

/** A client ready for one bucket, with what error messages need to know. */
export interface BucketConnection {
  readonly client: S3Client;
  readonly bucket: string;
  readonly region: string;
  readonly regionConfigured: boolean;
  /** The endpoint for messages: the custom one, or S3's regional endpoint. */
  readonly endpoint: string;
  readonly anonymous: boolean;
}

// The region S3 itself falls back to; a HeadBucket there answers with the bucket's real region.
const FALLBACK_REGION = 'us-east-1';

/**
 * Connects to `bucket`: resolves the region (asking S3 where the bucket is when none is configured) and checks
 * that the bucket exists and can be reached, so a wrong name, region, endpoint or credential fails before the
 * load starts, with one clear line.
 */
export async function connectToBucket(bucket: string, settings: S3ClientSettings): Promise<BucketConnection> {
  const configured = settings.region ?? (await sdkConfiguredRegion());
  let connection = makeConnection(bucket, settings, configured ?? FALLBACK_REGION, configured !== undefined);
  let probe = await probeBucket(connection);
  if (probe.region && probe.region !== connection.region && !configured) {
    // Not configured: follow the bucket to its own region, once, and check access there.
    connection.client.destroy();
    connection = makeConnection(bucket, settings, probe.region, false);
    probe = await probeBucket(connection);
  }
  if (probe.error) {
    connection.client.destroy();
    throw toSourceError(probe.error, contextOf(connection, `s3://${bucket}`));
  }
  return connection;
}

/** The error context of a call on `connection`. */
export function contextOf(connection: BucketConnection, uri: string, action: S3ErrorContext['action'] = 'open'): S3ErrorContext {
  return {
    action,
    bucket: connection.bucket,
    uri,
    region: connection.region,
    regionConfigured: connection.regionConfigured,
    endpoint: connection.endpoint,
    anonymous: connection.anonymous,
  };
}

function makeConnection(bucket: string, settings: S3ClientSettings, region: string, regionConfigured: boolean): BucketConnection {
  const custom = customEndpoint(settings);
  return {
    client: new S3Client(clientConfig(settings, region, custom !== undefined)),
    bucket,
    region,
    regionConfigured,
    endpoint: custom ? redactEndpoint(custom) : `https://s3.${region}.amazonaws.com`,
    anonymous: settings.noSignRequest,
  };
}

/** The S3Client configuration for `settings` in `region`. */
export function clientConfig(settings: S3ClientSettings, region: string, pathStyle: boolean): S3ClientConfig {
  // Sockets for every concurrent GET plus the listing's next page, so requests never queue for a socket.
  const agent = { keepAlive: true, maxSockets: settings.concurrency + 2 };
  return {
    region,
    // Left undefined, the SDK resolves AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL / endpoint_url itself.
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    // S3-compatible stores rarely serve bucket.host names; path-style works on every one of them.
    forcePathStyle: pathStyle,
    ...(settings.maxAttempts !== undefined ? { maxAttempts: settings.maxAttempts } : {}),
    ...(settings.noSignRequest ? ANONYMOUS : {}),
    requestHandler: {
      // A black-holed endpoint fails in seconds (then retried) instead of hanging the run.
      connectionTimeout: 10_000,
      socketTimeout: 60_000,
      httpAgent: agent,
      httpsAgent: agent,
    },
  };
}

/**
 * --no-sign-request: Smithy's "no auth" scheme, so no credential provider runs at all (no file reads, no
 * instance-metadata calls) and requests go out unsigned, like the aws CLI's flag.
 */
const ANONYMOUS: Pick<S3ClientConfig, 'httpAuthSchemes' | 'httpAuthSchemeProvider'> = {
  httpAuthSchemes: [
    {
      schemeId: 'smithy.api#noAuth',
      identityProvider: () => async () => ({}),
      signer: { sign: async (request) => request },
    },
  ],
  httpAuthSchemeProvider: () => [{ schemeId: 'smithy.api#noAuth' }],
};

/**
 * The custom endpoint in effect, if we can see it: --s3-endpoint, or the standard variables the SDK reads
 * (we only look to choose path-style addressing and to name the endpoint in messages; the SDK resolves the
 * URL itself). An endpoint_url in the profile is used by the SDK too, with its own addressing rules.
 */
export function customEndpoint(settings: S3ClientSettings, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (settings.endpoint) return settings.endpoint;
  if (/^true$/i.test(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? '')) return undefined;
  return env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL || undefined;
}

/** The region from AWS_REGION or the profile, as the SDK resolves it; undefined when there is none. */
async function sdkConfiguredRegion(): Promise<string | undefined> {
  const client = new S3Client({});
  try {
    return await client.config.region();
  } catch {
    return undefined; // "Region is missing": nothing configured, the bucket will tell us.
  } finally {
    client.destroy();
  }
}

interface ProbeResult {
  /** The bucket's region when S3 said it. */
  readonly region?: string;
  /** The failure to report, unless following the region resolves it. */
  readonly error?: unknown;
}

/**
 * One HeadBucket: S3 answers with `x-amz-bucket-region` on success and on 301/400/403 alike. Statuses that
 * say nothing certain (403 without a reason; stores that do not implement HeadBucket) are left for the listing.
 */
async function probeBucket(connection: BucketConnection): Promise<ProbeResult> {
  try {
    const output = await connection.client.send(new HeadBucketCommand({ Bucket: connection.bucket }));
    if (output.BucketRegion && output.BucketRegion !== connection.region) {
      return { region: output.BucketRegion, error: wrongRegion(output.BucketRegion) };
    }
    return {};
  } catch (error) {
    const region = bucketRegionOf(error);
    const status = httpStatusOf(error);
    if (region !== undefined && region !== connection.region) return { region, error };
    // A HEAD's 403 has no body to say why (AccessDenied? InvalidAccessKeyId?): the listing will tell.
    if (status === undefined || status === 301 || status === 404) return { error };
    return {};
  }
}

// HeadBucket succeeded but says the bucket lives elsewhere: reported like S3's own redirect.
function wrongRegion(region: string): Error {
  const error = new Error(`The bucket is in ${region}`) as Error & { Region: string };
  error.name = 'PermanentRedirect';
  error.Region = region;
  return error;
}
