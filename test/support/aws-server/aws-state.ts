/**
 * What the loopback AWS server holds: IAM roles and their attached policies, Redshift clusters, EC2
 * security groups and their rules, Serverless namespaces and workgroups. Clusters and workgroups move
 * through their states as AWS's do, one step per describe: creating -> available, deleting -> gone.
 */

/** The account every ARN names. */
export const ACCOUNT = '123456789012';

/** A role. */
export interface RoleRecord {
  name: string;
  arn: string;
  trust: string;
  tags: { Key: string; Value: string }[];
  policies: Set<string>;
}

/** A cluster; `polls` counts describes in the current transitional state. */
export interface ClusterRecord {
  id: string;
  status: 'creating' | 'available' | 'modifying' | 'deleting';
  nodeType: string;
  nodes: number;
  db: string;
  user: string;
  port: number;
  publiclyAccessible: boolean;
  managedPassword: boolean;
  iamRoles: string[];
  tags: { Key: string; Value: string }[];
  securityGroups: string[];
  polls: number;
}

/** An ingress rule (TCP only, as sparkify adds). */
export interface RuleRecord {
  protocol: string;
  fromPort: number;
  toPort: number;
  cidr: string;
  description?: string;
}

/** A security group. */
export interface GroupRecord {
  id: string;
  name: string;
  vpc: string;
  rules: RuleRecord[];
}

/** A Serverless namespace. */
export interface NamespaceRecord {
  name: string;
  arn: string;
  db: string;
  admin: string;
  iamRoles: string[];
  status: 'AVAILABLE' | 'DELETING';
  polls: number;
}

/** A Serverless workgroup. */
export interface WorkgroupRecord {
  name: string;
  arn: string;
  namespace: string;
  baseCapacity: number;
  port: number;
  publiclyAccessible: boolean;
  securityGroups: string[];
  status: 'CREATING' | 'AVAILABLE' | 'MODIFYING' | 'DELETING';
  polls: number;
}

/** The whole state. */
export class AwsState {
  readonly roles = new Map<string, RoleRecord>();
  readonly clusters = new Map<string, ClusterRecord>();
  readonly groups = new Map<string, GroupRecord>([['sg-0default', { id: 'sg-0default', name: 'default', vpc: 'vpc-0default', rules: [] }]]);
  readonly namespaces = new Map<string, NamespaceRecord>();
  readonly workgroups = new Map<string, WorkgroupRecord>();
  /** Tags of Serverless resources, by ARN. */
  readonly serverlessTags = new Map<string, { key: string; value: string }[]>();
  /** Describes a resource spends in `creating` or `deleting` before moving on. */
  transitionPolls = 2;

  /** Advances `cluster` one describe; returns it, or undefined when its deletion has finished. */
  stepCluster(cluster: ClusterRecord): ClusterRecord | undefined {
    if (cluster.status !== 'creating' && cluster.status !== 'deleting') return cluster;
    cluster.polls += 1;
    if (cluster.polls < this.transitionPolls) return cluster;
    if (cluster.status === 'deleting') {
      this.clusters.delete(cluster.id);
      return undefined;
    }
    cluster.status = 'available';
    cluster.polls = 0;
    return cluster;
  }

  /** Advances a workgroup one describe, as stepCluster. */
  stepWorkgroup(workgroup: WorkgroupRecord): WorkgroupRecord | undefined {
    if (workgroup.status !== 'CREATING' && workgroup.status !== 'DELETING') return workgroup;
    workgroup.polls += 1;
    if (workgroup.polls < this.transitionPolls) return workgroup;
    if (workgroup.status === 'DELETING') {
      this.workgroups.delete(workgroup.name);
      return undefined;
    }
    workgroup.status = 'AVAILABLE';
    workgroup.polls = 0;
    return workgroup;
  }

  /** Advances a namespace one describe. */
  stepNamespace(namespace: NamespaceRecord): NamespaceRecord | undefined {
    if (namespace.status !== 'DELETING') return namespace;
    namespace.polls += 1;
    if (namespace.polls < this.transitionPolls) return namespace;
    this.namespaces.delete(namespace.name);
    return undefined;
  }

  /** Everything beyond the pre-existing default security group, for "leaves nothing behind". */
  leftovers(): string[] {
    const left = [
      ...[...this.roles.keys()].map((name) => `role ${name}`),
      ...[...this.clusters.keys()].map((id) => `cluster ${id}`),
      ...[...this.namespaces.keys()].map((name) => `namespace ${name}`),
      ...[...this.workgroups.keys()].map((name) => `workgroup ${name}`),
    ];
    for (const group of this.groups.values()) for (const rule of group.rules) left.push(`rule ${group.id} ${rule.cidr}:${rule.fromPort}`);
    return left;
  }
}
