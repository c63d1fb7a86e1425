/**
 * Hermetic AWS environment for the S3 tests: the SDK reads `process.env` itself, so each test sets exactly the
 * standard variables it means (AWS_ACCESS_KEY_ID, AWS_ENDPOINT_URL_S3, AWS_REGION, ...) and nothing from the
 * developer's machine leaks in: no profile, no shared files, no instance metadata. Traffic stays on loopback.
 */
import { join } from 'node:path';
import { tempFolder } from '../support/test-warehouses.js';
import { S3RVER_CREDENTIALS } from '../support/s3-server.js';

const NOWHERE = join(tempFolder('sparkify-no-aws-'), 'absent');

/** Variables every S3 test runs with: nothing configured, and nothing that could reach real AWS. */
const BASELINE: Record<string, string> = {
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_CONFIG_FILE: NOWHERE,
  AWS_SHARED_CREDENTIALS_FILE: NOWHERE,
  // The SDK's notice about Node 20 support is noise in test output.
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

/**
 * Replaces every AWS_* and SPARKIFY_* variable with the baseline plus `values` (undefined leaves one unset);
 * returns the function that puts the previous environment back.
 */
export function useAwsEnv(values: Record<string, string | undefined> = {}): () => void {
  const saved = { ...process.env };
  for (const name of Object.keys(process.env)) {
    if (name.startsWith('AWS_') || name.startsWith('SPARKIFY_')) delete process.env[name];
  }
  for (const [name, value] of Object.entries({ ...BASELINE, ...values })) {
    if (value !== undefined) process.env[name] = value;
  }
  return () => {
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  };
}

/** The standard variables that point the SDK at a test server with its credentials. */
export function serverEnv(endpoint: string, region = 'us-east-1'): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_S3: endpoint,
    AWS_REGION: region,
  };
}
