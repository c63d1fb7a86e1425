/**
 * Turns AWS SDK errors into one-line SourceErrors a user can act on: which bucket, object or endpoint, what
 * went wrong, and what to do about it. The SDK's error stays as `cause` for `--verbose`.
 *
 * This is the only place that knows the shapes of SDK errors (`name`, `$metadata`, `$response` headers,
 * Node's network `code`), so the classification can be tested on its own with errors captured from a server.
 */
import { SourceError } from '../../errors.js';

/** What was being done when an S3 call failed; every message is built from it. */
export interface S3ErrorContext {
  /** `open` probes the bucket, `list` pages through keys, `read` fetches one object. */
  readonly action: 'open' | 'list' | 'read';
  readonly bucket: string;
  /** The location (`s3://bucket/prefix/`) or, when reading, the object (`s3://bucket/key`). */
  readonly uri: string;
  /** The region requests were signed for. */
  readonly region: string;
  /** True when the region came from --region, AWS_REGION or the profile rather than from the bucket. */
  readonly regionConfigured: boolean;
  /** The endpoint requests went to, for messages (never with credentials in it). */
  readonly endpoint: string;
  /** True with --no-sign-request. */
  readonly anonymous: boolean;
}

/** The shape of SDK service and transport errors, as far as classification needs it. */
interface SdkErrorShape {
  name?: string;
  message?: string;
  code?: string;
  Code?: string;
  Region?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
  $response?: { statusCode?: number; headers?: Record<string, string | undefined> };
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH']);
const REJECTED_CREDENTIALS = new Set(['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'InvalidToken', 'InvalidClientTokenId']);
const EXPIRED_CREDENTIALS = new Set(['ExpiredToken', 'ExpiredTokenException', 'TokenRefreshRequired', 'RequestExpired']);
const ACCESS_DENIED = new Set(['AccessDenied', 'Forbidden', 'AllAccessDisabled', 'AccountProblem']);
const WRONG_REGION = new Set(['PermanentRedirect', 'AuthorizationHeaderMalformed', 'IllegalLocationConstraintException']);
const GENERIC_NAMES = new Set(['Unknown', 'UnknownError', 'Error', '403', '404', '500', '503']);
const OVERLOADED = new Set(['SlowDown', 'ServiceUnavailable', 'InternalError', 'Throttling', 'ThrottlingException', 'RequestTimeout']);

/** The region S3 says the bucket is in, from the `x-amz-bucket-region` header or an error body's `<Region>`. */
export function bucketRegionOf(error: unknown): string | undefined {
  const shape = error as SdkErrorShape | null | undefined;
  const header = shape?.$response?.headers?.['x-amz-bucket-region'];
  return header || (typeof shape?.Region === 'string' && shape.Region ? shape.Region : undefined);
}

/** The HTTP status of a failed call, when a response arrived at all. */
export function httpStatusOf(error: unknown): number | undefined {
  const shape = error as SdkErrorShape | null | undefined;
  return shape?.$metadata?.httpStatusCode ?? shape?.$response?.statusCode;
}

/** Maps `error` to a one-line SourceError; SourceErrors pass through unchanged. */
export function toSourceError(error: unknown, context: S3ErrorContext): SourceError {
  if (error instanceof SourceError) return error;
  const shape = (error ?? {}) as SdkErrorShape;
  const status = httpStatusOf(error);
  // A response without a body (any HEAD) leaves the SDK nothing but "Unknown": the status says more.
  const named = shape.Code ?? shape.name;
  const name = named && !GENERIC_NAMES.has(named) ? named : status ? `HTTP ${status}` : (named ?? 'Error');
  const detail = oneLine(shape.message ?? String(error));
  const make = (message: string) => new SourceError(message, { cause: error });
  const { bucket, uri } = context;

  if (name === 'CredentialsProviderError' || /could not load credentials/i.test(detail)) {
    return make(
      `No usable AWS credentials to read ${uri} (${detail}): run "aws configure" or "aws sso login", set AWS_PROFILE ` +
        `or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or add --no-sign-request for a public bucket`,
    );
  }
  if (EXPIRED_CREDENTIALS.has(name)) {
    return make(`The AWS credentials have expired (${name}) reading ${uri}: refresh them ("aws sso login" or new keys) and run again`);
  }
  if (REJECTED_CREDENTIALS.has(name)) {
    return make(
      `S3 at ${context.endpoint} rejected the AWS credentials (${name}) for ${uri}: check AWS_ACCESS_KEY_ID and ` +
        `AWS_SECRET_ACCESS_KEY or the profile in AWS_PROFILE`,
    );
  }

  const actualRegion = bucketRegionOf(error);
  if (WRONG_REGION.has(name) || status === 301 || (actualRegion !== undefined && actualRegion !== context.region)) {
    return make(wrongRegionMessage(context, actualRegion, name));
  }
  if (name === 'NoSuchKey' || (context.action === 'read' && status === 404 && name !== 'NoSuchBucket')) {
    return make(
      `${uri} vanished between listing and reading (NoSuchKey): it was deleted or renamed while the load ran; run the load again`,
    );
  }
  if (name === 'NoSuchBucket' || (context.action !== 'read' && status === 404)) {
    return make(`Bucket "${bucket}" does not exist at ${context.endpoint}: check the bucket name in ${locationOf(context)}`);
  }
  if (ACCESS_DENIED.has(name) || status === 403) {
    return make(accessDeniedMessage(context, name));
  }
  if (name === 'TimeoutError' || (shape.code !== undefined && NETWORK_CODES.has(shape.code))) {
    return make(
      `Cannot reach the S3 endpoint ${context.endpoint} (${shape.code ?? name}) for ${uri}: check the network, ` +
        `--s3-endpoint or AWS_ENDPOINT_URL_S3`,
    );
  }
  if (OVERLOADED.has(name) || (status !== undefined && status >= 500)) {
    const attempts = shape.$metadata?.attempts ?? 1;
    const what = `${name}${status && !name.startsWith('HTTP') ? `, HTTP ${status}` : ''}`;
    return make(
      `S3 kept failing (${what}) after ${attempts} attempt(s) ${verbOf(context)} ${uri}: ` +
        'lower --s3-concurrency or raise AWS_MAX_ATTEMPTS, then run again',
    );
  }
  return make(`Failed ${verbOf(context)} ${uri}: ${name}${status && !name.startsWith('HTTP') ? ` (HTTP ${status})` : ''}: ${detail}`);
}

function wrongRegionMessage(context: S3ErrorContext, actualRegion: string | undefined, name: string): string {
  const where = context.regionConfigured ? `, not ${context.region} (set by --region, AWS_REGION or the AWS profile)` : '';
  if (actualRegion) return `Bucket "${context.bucket}" is in region ${actualRegion}${where}: give --region ${actualRegion}`;
  return `Bucket "${context.bucket}" is not in region ${context.region} (S3 answered ${name}): give the bucket's region with --region`;
}

function accessDeniedMessage(context: S3ErrorContext, name: string): string {
  const permission = context.action === 'read' ? 's3:GetObject' : 's3:ListBucket';
  const doing = context.action === 'read' ? `reading ${context.uri}` : `listing ${locationOf(context)}`;
  const hint = context.anonymous
    ? 'the bucket does not allow anonymous access; drop --no-sign-request to use your AWS credentials'
    : `the AWS credentials in use lack ${permission} on bucket "${context.bucket}" (check the IAM and bucket policies, or AWS_PROFILE); ` +
      'for a public bucket add --no-sign-request';
  return `Access denied (${name}) ${doing}: ${hint}`;
}

function verbOf(context: S3ErrorContext): string {
  return context.action === 'read' ? 'reading' : context.action === 'list' ? 'listing' : 'opening';
}

function locationOf(context: S3ErrorContext): string {
  return context.action === 'read' ? `s3://${context.bucket}` : context.uri;
}

/** The first line of a message, trimmed: the CLI prints one line per error. */
function oneLine(text: string): string {
  return text.split(/\r?\n/, 1)[0]!.trim();
}

/** `url` without user name, password or trailing slash, for messages. */
export function redactEndpoint(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString().replace(/\/+$/, '');
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//');
  }
}
