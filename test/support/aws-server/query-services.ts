/**
 * The Query-protocol services of the loopback AWS server: IAM (2010-05-08), Redshift (2012-12-01), EC2
 * (2016-11-15) and STS (2011-06-15), each action answering from and changing the shared AwsState, with the
 * errors AWS gives (EntityAlreadyExists, ClusterNotFound, InvalidPermission.Duplicate, ...).
 */
import { ACCOUNT, type AwsState, type ClusterRecord, type GroupRecord } from './aws-state.js';
import { AwsFault, ec2Response, list, type QueryForm, queryResponse, type XmlMap } from './aws-wire.js';

/** A Query service: its namespace for XML, and its actions. */
export interface QueryService {
  readonly namespace: string;
  readonly ec2?: boolean;
  handle(action: string, form: QueryForm, state: AwsState): string;
}

/** Node types AWS still sells (dc2.large is retired: "Invalid node type"). */
const NODE_TYPES = new Set(['ra3.large', 'ra3.xlplus', 'ra3.4xlarge', 'ra3.16xlarge']);

const IAM_NS = 'https://iam.amazonaws.com/doc/2010-05-08/';
const REDSHIFT_NS = 'http://redshift.amazonaws.com/doc/2012-12-01/';

const iam: QueryService = {
  namespace: IAM_NS,
  handle(action, form, state) {
    const respond = (result: XmlMap) => queryResponse(action, IAM_NS, result);
    const roleName = form.get('RoleName') ?? '';
    const role = () => {
      const found = state.roles.get(roleName);
      if (!found) throw new AwsFault('NoSuchEntity', `The role with name ${roleName} cannot be found.`, 404);
      return found;
    };
    const roleXml = (found = role()): XmlMap => ({
      Path: '/',
      RoleName: found.name,
      RoleId: `AROA${found.name
        .toUpperCase()
        .replace(/[^A-Z0-9]/g, '')
        .slice(0, 16)}`,
      Arn: found.arn,
      CreateDate: '2026-12-01T00:00:00Z',
      AssumeRolePolicyDocument: encodeURIComponent(found.trust),
      Tags: list(found.tags.map((tag) => ({ Key: tag.Key, Value: tag.Value }))),
    });
    switch (action) {
      case 'GetRole':
        return respond({ Role: roleXml() });
      case 'CreateRole': {
        const name = form.need('RoleName');
        if (state.roles.has(name)) throw new AwsFault('EntityAlreadyExists', `Role with name ${name} already exists.`, 409);
        const tags = form.items('Tags').map((tag) => ({ Key: tag.Key ?? '', Value: tag.Value ?? '' }));
        const record = {
          name,
          arn: `arn:aws:iam::${ACCOUNT}:role/${name}`,
          trust: form.need('AssumeRolePolicyDocument'),
          tags,
          policies: new Set<string>(),
        };
        state.roles.set(name, record);
        return respond({ Role: roleXml(record) });
      }
      case 'AttachRolePolicy':
        role().policies.add(form.need('PolicyArn'));
        return respond({});
      case 'DetachRolePolicy': {
        const policy = form.need('PolicyArn');
        if (!role().policies.delete(policy)) throw new AwsFault('NoSuchEntity', `Policy ${policy} was not found.`, 404);
        return respond({});
      }
      case 'ListAttachedRolePolicies':
        return respond({
          AttachedPolicies: list([...role().policies].map((arn) => ({ PolicyName: arn.split('/').pop(), PolicyArn: arn }))),
          IsTruncated: false,
        });
      case 'DeleteRole': {
        const found = role();
        if (found.policies.size > 0) throw new AwsFault('DeleteConflict', 'Cannot delete entity, must detach all policies first.', 409);
        state.roles.delete(found.name);
        return respond({});
      }
      default:
        throw new AwsFault('InvalidAction', `The loopback IAM does not implement ${action}`);
    }
  },
};

const redshift: QueryService = {
  namespace: REDSHIFT_NS,
  handle(action, form, state) {
    const respond = (result: XmlMap) => queryResponse(action, REDSHIFT_NS, result);
    const id = form.get('ClusterIdentifier') ?? '';
    const cluster = () => {
      const found = state.clusters.get(id);
      if (!found) throw new AwsFault('ClusterNotFound', `Cluster ${id} not found.`, 404);
      return found;
    };
    switch (action) {
      case 'DescribeClusters': {
        const found = cluster();
        const stepped = state.stepCluster(found);
        if (!stepped) throw new AwsFault('ClusterNotFound', `Cluster ${id} not found.`, 404);
        return respond({ Clusters: list([clusterXml(stepped)], 'Cluster') });
      }
      case 'CreateCluster': {
        const nodeType = form.need('NodeType');
        if (!NODE_TYPES.has(nodeType)) throw new AwsFault('InvalidParameterValue', `Invalid node type: ${nodeType}`);
        if (state.clusters.has(id)) throw new AwsFault('ClusterAlreadyExists', 'Cluster already exists');
        const record: ClusterRecord = {
          id: form.need('ClusterIdentifier'),
          status: 'creating',
          nodeType,
          nodes: form.get('ClusterType') === 'single-node' ? 1 : Number(form.get('NumberOfNodes') ?? 1),
          db: form.get('DBName') ?? 'dev',
          user: form.need('MasterUsername'),
          port: Number(form.get('Port') ?? 5439),
          publiclyAccessible: form.get('PubliclyAccessible') === 'true',
          managedPassword: form.get('ManageMasterPassword') === 'true',
          iamRoles: form.items('IamRoles').map((item) => item[''] ?? ''),
          tags: form.items('Tags').map((tag) => ({ Key: tag.Key ?? '', Value: tag.Value ?? '' })),
          securityGroups: ['sg-0default'],
          polls: 0,
        };
        if (!record.managedPassword && !form.get('MasterUserPassword')) {
          throw new AwsFault('InvalidParameterValue', 'A master user password or ManageMasterPassword is required');
        }
        state.clusters.set(record.id, record);
        return respond({ Cluster: clusterXml(record) });
      }
      case 'ModifyCluster': {
        const found = cluster();
        if (found.status !== 'available') throw new AwsFault('InvalidClusterState', `The cluster is ${found.status}`);
        if (form.get('PubliclyAccessible') !== undefined) found.publiclyAccessible = form.get('PubliclyAccessible') === 'true';
        return respond({ Cluster: clusterXml(found) });
      }
      case 'DeleteCluster': {
        const found = cluster();
        if (found.status === 'modifying' || found.status === 'deleting') {
          throw new AwsFault(
            'InvalidClusterState',
            `There is an operation running on the Cluster (${found.status}). Please try to delete it at a later time.`,
          );
        }
        if (form.get('SkipFinalClusterSnapshot') !== 'true')
          throw new AwsFault('InvalidParameterCombination', 'FinalClusterSnapshotIdentifier is required');
        found.status = 'deleting';
        found.polls = 0;
        return respond({ Cluster: clusterXml(found) });
      }
      default:
        throw new AwsFault('InvalidAction', `The loopback Redshift does not implement ${action}`);
    }
  },
};

function clusterXml(cluster: ClusterRecord): XmlMap {
  const ready = cluster.status !== 'creating';
  return {
    ClusterIdentifier: cluster.id,
    NodeType: cluster.nodeType,
    ClusterStatus: cluster.status,
    MasterUsername: cluster.user,
    DBName: cluster.db,
    Endpoint: ready ? { Address: `${cluster.id}.c0ffee123456.us-west-2.redshift.amazonaws.com`, Port: cluster.port } : undefined,
    VpcSecurityGroups: list(
      cluster.securityGroups.map((group) => ({ VpcSecurityGroupId: group, Status: 'active' })),
      'VpcSecurityGroup',
    ),
    NumberOfNodes: cluster.nodes,
    PubliclyAccessible: cluster.publiclyAccessible,
    Encrypted: true,
    Tags: list(
      cluster.tags.map((tag) => ({ Key: tag.Key, Value: tag.Value })),
      'Tag',
    ),
    IamRoles: list(
      cluster.iamRoles.map((arn) => ({ IamRoleArn: arn, ApplyStatus: 'in-sync' })),
      'ClusterIamRole',
    ),
    MasterPasswordSecretArn: cluster.managedPassword
      ? `arn:aws:secretsmanager:us-west-2:${ACCOUNT}:secret:redshift!${cluster.id}-admin`
      : undefined,
  };
}

const ec2: QueryService = {
  namespace: 'http://ec2.amazonaws.com/doc/2016-11-15/',
  ec2: true,
  handle(action, form, state) {
    const group = (): GroupRecord => {
      const id = form.need('GroupId');
      const found = state.groups.get(id);
      if (!found) throw new AwsFault('InvalidGroup.NotFound', `The security group '${id}' does not exist`);
      return found;
    };
    const permissions = () =>
      form.items('IpPermissions').flatMap((permission) => {
        const cidrs = Object.entries(permission).filter(([key]) => /^IpRanges\.\d+\.CidrIp$/.test(key));
        return cidrs.map(([key, cidr]) => ({
          protocol: permission.IpProtocol ?? 'tcp',
          fromPort: Number(permission.FromPort),
          toPort: Number(permission.ToPort),
          cidr,
          description: permission[key.replace('CidrIp', 'Description')],
        }));
      });
    switch (action) {
      case 'DescribeSecurityGroups':
        return ec2Response(action, {
          securityGroupInfo: list(
            [...state.groups.values()].map((found) => ({
              ownerId: ACCOUNT,
              groupName: found.name,
              groupId: found.id,
              vpcId: found.vpc,
              ipPermissions: list(
                found.rules.map((rule) => ({
                  ipProtocol: rule.protocol,
                  fromPort: rule.fromPort,
                  toPort: rule.toPort,
                  ipRanges: list([{ cidrIp: rule.cidr, description: rule.description }], 'item'),
                })),
                'item',
              ),
            })),
            'item',
          ),
        });
      case 'AuthorizeSecurityGroupIngress': {
        const found = group();
        for (const rule of permissions()) {
          const same = found.rules.some(
            (existing) => existing.cidr === rule.cidr && existing.fromPort === rule.fromPort && existing.protocol === rule.protocol,
          );
          if (same) {
            throw new AwsFault(
              'InvalidPermission.Duplicate',
              `the specified rule "peer: ${rule.cidr}, TCP, from port: ${rule.fromPort}, to port: ${rule.toPort}, ALLOW" already exists`,
            );
          }
          found.rules.push(rule);
        }
        return ec2Response(action, { return: true });
      }
      case 'RevokeSecurityGroupIngress': {
        const found = group();
        for (const rule of permissions()) {
          const index = found.rules.findIndex((existing) => existing.cidr === rule.cidr && existing.fromPort === rule.fromPort);
          if (index < 0) throw new AwsFault('InvalidPermission.NotFound', 'The specified rule does not exist in this security group.');
          found.rules.splice(index, 1);
        }
        return ec2Response(action, { return: true });
      }
      default:
        throw new AwsFault('InvalidAction', `The loopback EC2 does not implement ${action}`);
    }
  },
};

const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';
const sts: QueryService = {
  namespace: STS_NS,
  handle(action) {
    if (action !== 'GetCallerIdentity') throw new AwsFault('InvalidAction', `The loopback STS does not implement ${action}`);
    return queryResponse(action, STS_NS, { Arn: `arn:aws:iam::${ACCOUNT}:user/tester`, UserId: 'AIDATESTER', Account: ACCOUNT });
  },
};

/** The Query services by API version, which every Query request carries. */
export const QUERY_SERVICES: Readonly<Record<string, QueryService>> = {
  '2010-05-08': iam,
  '2012-12-01': redshift,
  '2016-11-15': ec2,
  '2011-06-15': sts,
};
