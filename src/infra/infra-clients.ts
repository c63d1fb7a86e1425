/**
 * The AWS clients of `sparkify infra`. Credentials come from the SDK's default chain (environment, shared
 * files, AWS_PROFILE, SSO, instance and container roles), as for S3; the classic `[AWS] KEY` / `SECRET` pair
 * of a dwh.cfg is used when present, with a warning. Endpoints resolve natively, so AWS_ENDPOINT_URL_IAM,
 * _REDSHIFT, _EC2, _STS and _REDSHIFT_SERVERLESS point a client at another server (the tests' loopback one).
 * This module is only ever loaded on demand (see infra.ts), so no other command pays for the SDK.
 */
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { RedshiftClient } from '@aws-sdk/client-redshift';
import { RedshiftServerlessClient } from '@aws-sdk/client-redshift-serverless';
import { STSClient } from '@aws-sdk/client-sts';
import type { InfraSettings } from './infra-settings.js';

/** One client per service, for one region and one set of credentials. */
export interface InfraClients {
  readonly iam: IAMClient;
  readonly redshift: RedshiftClient;
  readonly serverless: RedshiftServerlessClient;
  readonly ec2: EC2Client;
  readonly sts: STSClient;
  /** Releases their sockets. */
  destroy(): void;
}

/** Creates the clients for `settings`; `warn` receives the warning about classic keys in dwh.cfg. */
export function createInfraClients(settings: InfraSettings, warn: (message: string) => void): InfraClients {
  if (settings.credentials) {
    warn(
      `${settings.configFile} [AWS] KEY and SECRET are used: keys in a file are easily leaked; prefer a profile (aws configure, AWS_PROFILE) or aws sso login`,
    );
  }
  const config = {
    ...(settings.region ? { region: settings.region } : {}),
    ...(settings.credentials ? { credentials: settings.credentials } : {}),
  };
  const iam = new IAMClient(config);
  const redshift = new RedshiftClient(config);
  const serverless = new RedshiftServerlessClient(config);
  const ec2 = new EC2Client(config);
  const sts = new STSClient(config);
  return {
    iam,
    redshift,
    serverless,
    ec2,
    sts,
    destroy() {
      for (const client of [iam, redshift, serverless, ec2, sts]) client.destroy();
    },
  };
}
