/**
 * AWS errors of `sparkify infra`, turned into one line a user can act on: no credentials, access denied on
 * a named action, a quota, a node type AWS no longer sells, a resource in a state that forbids the action.
 * SDK v3 models Redshift and IAM errors as classes whose `name` is the error code; EC2's are plain codes
 * (`InvalidPermission.Duplicate`), so everything here goes by `name`.
 */
import { ConfigError, SparkifyError } from '../errors.js';

/** A failed AWS call of `sparkify infra` (exit status 1). */
export class InfraError extends SparkifyError {}

/** The error code of an SDK error (its `name`), or undefined for anything else. */
export function awsErrorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

/** True when `error` carries one of `names` as its code. */
export function isAwsError(error: unknown, ...names: string[]): boolean {
  const name = awsErrorName(error);
  return name !== undefined && names.includes(name);
}

const ACCESS_DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'AccessDeniedFault',
  'UnauthorizedOperation',
  'UnauthorizedException',
]);
const QUOTAS = new Set([
  'LimitExceeded',
  'LimitExceededException',
  'ClusterQuotaExceeded',
  'ClusterQuotaExceededFault',
  'NumberOfNodesQuotaExceeded',
  'NumberOfNodesQuotaExceededFault',
  'NumberOfNodesPerClusterLimitExceeded',
  'NumberOfNodesPerClusterLimitExceededFault',
  'ServiceQuotaExceededException',
  'RulesPerSecurityGroupLimitExceeded',
]);
const BAD_STATE = new Set([
  'InvalidClusterState',
  'InvalidClusterStateFault',
  'ConflictException',
  'DeleteConflict',
  'DeleteConflictException',
]);
const BAD_CREDENTIALS = new Set([
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'UnrecognizedClientException',
  'AuthFailure',
  'ExpiredToken',
]);

/**
 * The one-line error for `error` raised by `action` (such as `redshift:CreateCluster`) on `resource`.
 * Errors already of sparkify's kind pass through.
 */
export function infraError(error: unknown, action: string, resource: string): SparkifyError {
  if (error instanceof SparkifyError) return error;
  const name = awsErrorName(error) ?? 'Error';
  const detail = error instanceof Error ? error.message.split('\n')[0]!.trim() : String(error);
  const make = (message: string) => new InfraError(message, { cause: error });
  if (name === 'CredentialsProviderError' || /could not load credentials/i.test(detail)) {
    return make(
      'No AWS credentials: run "aws configure" or "aws sso login", set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY',
    );
  }
  if (/region is missing/i.test(detail)) {
    return new ConfigError(
      'No AWS region: give --region, set AWS_REGION, DWH_REGION in dwh.cfg [DWH], or ?region= in a redshift-data:// URL',
      {
        cause: error,
      },
    );
  }
  if (BAD_CREDENTIALS.has(name)) return make(`AWS rejected the credentials (${name}) on ${action}: check AWS_PROFILE or the access keys`);
  if (ACCESS_DENIED.has(name)) {
    return make(`Access denied on ${action} for ${resource}: the AWS identity in use needs permission for ${action} (${detail})`);
  }
  if (QUOTAS.has(name)) return make(`Quota exceeded on ${action} for ${resource} (${name}: ${detail}): free some up or ask AWS for more`);
  if (/node ?type/i.test(detail) && /invalid|not supported|unsupported|not offered/i.test(detail)) {
    return new ConfigError(
      `Node type not offered (${detail}) for ${resource}: use one AWS sells, such as ra3.large (DWH_NODE_TYPE or --node-type)`,
      { cause: error },
    );
  }
  if (BAD_STATE.has(name)) return make(`${resource} is in a state that forbids ${action} (${detail}): wait and run again`);
  return make(`${action} failed for ${resource}: ${name}: ${detail}`);
}

/** Runs `call`, turning a failure into the one-line error of `action` on `resource`. */
export async function awsCall<T>(action: string, resource: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw infraError(error, action, resource);
  }
}
