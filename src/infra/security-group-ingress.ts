/**
 * The one ingress rule `infra up --public` adds: TCP on the warehouse's port from the CIDR the user typed,
 * on the cluster's (or workgroup's) own security group, described so that `infra down` revokes exactly it.
 * The security group itself belongs to the VPC, not to sparkify, and is never deleted.
 */
import {
  AuthorizeSecurityGroupIngressCommand,
  DescribeSecurityGroupsCommand,
  type EC2Client,
  RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';
import { awsCall, isAwsError } from './infra-errors.js';
import { ingressDescription } from './infra-tags.js';

/** A rule sparkify added. */
export interface IngressRule {
  readonly groupId: string;
  readonly cidr: string;
  readonly port: number;
}

/** Opens `port` on `groupId` to `cidr`. Returns false when the rule was already there. */
export async function openIngress(ec2: EC2Client, groupId: string, cidr: string, port: number, identifier: string): Promise<boolean> {
  try {
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: groupId,
        IpPermissions: [
          { IpProtocol: 'tcp', FromPort: port, ToPort: port, IpRanges: [{ CidrIp: cidr, Description: ingressDescription(identifier) }] },
        ],
      }),
    );
    return true;
  } catch (error) {
    if (isAwsError(error, 'InvalidPermission.Duplicate')) return false;
    return awsCall('ec2:AuthorizeSecurityGroupIngress', `security group ${groupId}`, () => Promise.reject(error));
  }
}

/**
 * The rules sparkify added for `identifier`, in every security group of the region: found by their
 * description, so they are still found after the cluster that named the group is gone.
 */
export async function findIngress(ec2: EC2Client, identifier: string): Promise<IngressRule[]> {
  const description = ingressDescription(identifier);
  const rules: IngressRule[] = [];
  let token: string | undefined;
  do {
    const page = await awsCall('ec2:DescribeSecurityGroups', 'security groups', () =>
      ec2.send(new DescribeSecurityGroupsCommand({ NextToken: token })),
    );
    for (const group of page.SecurityGroups ?? []) {
      for (const permission of group.IpPermissions ?? []) {
        for (const range of permission.IpRanges ?? []) {
          if (range.Description === description && range.CidrIp && group.GroupId && permission.FromPort !== undefined) {
            rules.push({ groupId: group.GroupId, cidr: range.CidrIp, port: permission.FromPort });
          }
        }
      }
    }
    token = page.NextToken;
  } while (token);
  return rules;
}

/** Revokes `rule`; a rule already gone is fine. */
export async function revokeIngress(ec2: EC2Client, rule: IngressRule): Promise<void> {
  try {
    await ec2.send(
      new RevokeSecurityGroupIngressCommand({
        GroupId: rule.groupId,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: rule.port, ToPort: rule.port, IpRanges: [{ CidrIp: rule.cidr }] }],
      }),
    );
  } catch (error) {
    if (isAwsError(error, 'InvalidPermission.NotFound')) return;
    await awsCall('ec2:RevokeSecurityGroupIngress', `security group ${rule.groupId}`, () => Promise.reject(error));
  }
}
