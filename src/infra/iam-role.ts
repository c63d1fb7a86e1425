/**
 * The IAM role Redshift assumes to COPY from S3: trusted by redshift.amazonaws.com and
 * redshift-serverless.amazonaws.com (Serverless needs both), with AmazonS3ReadOnlyAccess and nothing more.
 * Found or created; deleted only when sparkify created it (tagged).
 */
import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  DeleteRoleCommand,
  DetachRolePolicyCommand,
  GetRoleCommand,
  type IAMClient,
  ListAttachedRolePoliciesCommand,
  type Role,
} from '@aws-sdk/client-iam';
import { awsCall, isAwsError } from './infra-errors.js';
import { isManaged, MANAGED_TAGS } from './infra-tags.js';

/** Read-only access to S3: what COPY needs, and the least AWS offers as a managed policy. */
export const S3_READ_POLICY = 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess';

const TRUST_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Service: ['redshift.amazonaws.com', 'redshift-serverless.amazonaws.com'] },
      Action: 'sts:AssumeRole',
    },
  ],
});

/** The role as found. */
export interface RoleState {
  readonly name: string;
  readonly arn: string;
  /** Created by sparkify (tagged), so `down` may delete it. */
  readonly managed: boolean;
}

/** The role named `name`, or undefined when there is none. */
export async function findRole(iam: IAMClient, name: string): Promise<RoleState | undefined> {
  let role: Role | undefined;
  try {
    role = (await iam.send(new GetRoleCommand({ RoleName: name }))).Role;
  } catch (error) {
    if (isAwsError(error, 'NoSuchEntity', 'NoSuchEntityException')) return undefined;
    return awsCall('iam:GetRole', `IAM role ${name}`, () => Promise.reject(error));
  }
  return role?.Arn ? { name, arn: role.Arn, managed: isManaged(role.Tags) } : undefined;
}

/**
 * Finds or creates the role and makes sure a role sparkify created has the S3 read policy. A role that
 * exists but was not made by sparkify is used as it is. Returns the role and whether it was created.
 */
export async function ensureRole(iam: IAMClient, name: string): Promise<{ role: RoleState; created: boolean }> {
  const found = await findRole(iam, name);
  if (found) {
    if (found.managed) await ensurePolicy(iam, name);
    return { role: found, created: false };
  }
  let arn: string | undefined;
  try {
    const created = await iam.send(
      new CreateRoleCommand({
        RoleName: name,
        AssumeRolePolicyDocument: TRUST_POLICY,
        Description: 'Lets Redshift read S3 for sparkify COPY (made by sparkify infra up)',
        Tags: MANAGED_TAGS,
      }),
    );
    arn = created.Role?.Arn;
  } catch (error) {
    // Made meanwhile by another run: take it.
    if (!isAwsError(error, 'EntityAlreadyExists', 'EntityAlreadyExistsException')) {
      return awsCall('iam:CreateRole', `IAM role ${name}`, () => Promise.reject(error));
    }
    return ensureRole(iam, name);
  }
  await ensurePolicy(iam, name);
  return { role: { name, arn: arn ?? '', managed: true }, created: true };
}

/** Detaches the role's policies and deletes it, if sparkify made it. Returns what happened. */
export async function deleteRole(iam: IAMClient, name: string): Promise<'deleted' | 'absent' | 'not-managed'> {
  const found = await findRole(iam, name);
  if (!found) return 'absent';
  if (!found.managed) return 'not-managed';
  for (const policy of await attachedPolicies(iam, name)) {
    await awsCall('iam:DetachRolePolicy', `IAM role ${name}`, () =>
      iam.send(new DetachRolePolicyCommand({ RoleName: name, PolicyArn: policy })),
    );
  }
  try {
    await iam.send(new DeleteRoleCommand({ RoleName: name }));
  } catch (error) {
    if (isAwsError(error, 'NoSuchEntity', 'NoSuchEntityException')) return 'absent';
    return awsCall('iam:DeleteRole', `IAM role ${name}`, () => Promise.reject(error));
  }
  return 'deleted';
}

async function ensurePolicy(iam: IAMClient, name: string): Promise<void> {
  if ((await attachedPolicies(iam, name)).includes(S3_READ_POLICY)) return;
  await awsCall('iam:AttachRolePolicy', `IAM role ${name}`, () =>
    iam.send(new AttachRolePolicyCommand({ RoleName: name, PolicyArn: S3_READ_POLICY })),
  );
}

async function attachedPolicies(iam: IAMClient, name: string): Promise<string[]> {
  const listed = await awsCall('iam:ListAttachedRolePolicies', `IAM role ${name}`, () =>
    iam.send(new ListAttachedRolePoliciesCommand({ RoleName: name })),
  );
  return (listed.AttachedPolicies ?? []).flatMap((policy) => (policy.PolicyArn ? [policy.PolicyArn] : []));
}
