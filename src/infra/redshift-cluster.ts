/**
 * The provisioned Redshift cluster: found or created (tagged, with the IAM role, the master password from
 * config or managed by AWS in Secrets Manager), waited for until available, and deleted without a final
 * snapshot only when sparkify created it.
 */
import {
  type Cluster,
  CreateClusterCommand,
  DeleteClusterCommand,
  DescribeClustersCommand,
  ModifyClusterCommand,
  type RedshiftClient,
} from '@aws-sdk/client-redshift';
import { awsCall, InfraError, isAwsError } from './infra-errors.js';
import type { InfraSettings } from './infra-settings.js';
import { isManaged, MANAGED_TAGS } from './infra-tags.js';
import { type InfraListener, waitFor } from './infra-wait.js';

/** A cluster as `infra` sees it. */
export interface ClusterState {
  readonly identifier: string;
  readonly status: string;
  readonly nodeType: string;
  readonly nodes: number;
  readonly host?: string;
  readonly port?: number;
  readonly database?: string;
  readonly masterUser?: string;
  readonly publiclyAccessible: boolean;
  readonly securityGroupIds: readonly string[];
  readonly managed: boolean;
}

/** The cluster `identifier`, or undefined when there is none. */
export async function findCluster(redshift: RedshiftClient, identifier: string): Promise<ClusterState | undefined> {
  let cluster: Cluster | undefined;
  try {
    cluster = (await redshift.send(new DescribeClustersCommand({ ClusterIdentifier: identifier }))).Clusters?.[0];
  } catch (error) {
    if (isAwsError(error, 'ClusterNotFound', 'ClusterNotFoundFault')) return undefined;
    return awsCall('redshift:DescribeClusters', `cluster ${identifier}`, () => Promise.reject(error));
  }
  return cluster ? clusterState(cluster, identifier) : undefined;
}

/**
 * Creates the cluster unless it exists, makes it publicly accessible when `--public` asks and it is not,
 * and waits until it is available. A cluster being deleted is an error (wait, then run again).
 */
export async function ensureCluster(
  redshift: RedshiftClient,
  settings: InfraSettings,
  roleArn: string,
  onEvent?: InfraListener,
): Promise<{ cluster: ClusterState; created: boolean }> {
  const id = settings.clusterIdentifier;
  const resource = `cluster ${id}`;
  let found = await findCluster(redshift, id);
  let created = false;
  if (found?.status === 'deleting') {
    throw new InfraError(`${resource} is in a state that forbids redshift:CreateCluster (deleting): wait until it is gone and run again`);
  }
  if (found?.status === 'paused' || found?.status === 'pausing') {
    throw new InfraError(
      `${resource} is ${found.status}: resume it (aws redshift resume-cluster --cluster-identifier ${id}) and run again`,
    );
  }
  if (!found) {
    await awsCall('redshift:CreateCluster', resource, () =>
      redshift.send(
        new CreateClusterCommand({
          ClusterIdentifier: id,
          ClusterType: settings.clusterType,
          NodeType: settings.nodeType,
          ...(settings.clusterType === 'multi-node' ? { NumberOfNodes: settings.numberOfNodes } : {}),
          DBName: settings.database,
          MasterUsername: settings.dbUser,
          ...(settings.password ? { MasterUserPassword: settings.password } : { ManageMasterPassword: true }),
          Port: settings.port,
          IamRoles: [roleArn],
          PubliclyAccessible: settings.public,
          Encrypted: true,
          Tags: MANAGED_TAGS,
        }),
      ),
    );
    created = true;
    onEvent?.({ resource, state: 'creating' });
  } else if (settings.public && !found.publiclyAccessible) {
    await awsCall('redshift:ModifyCluster', resource, () =>
      redshift.send(new ModifyClusterCommand({ ClusterIdentifier: id, PubliclyAccessible: true })),
    );
  }
  found = await waitFor({
    resource,
    describe: () => findCluster(redshift, id),
    state: (cluster) => cluster?.status ?? 'gone',
    reached: (cluster) => cluster === undefined || (cluster.status === 'available' && cluster.host !== undefined),
    onEvent,
  });
  if (!found) throw new InfraError(`${resource} disappeared while sparkify waited for it: see the AWS console`);
  return { cluster: found, created };
}

/**
 * Deletes the cluster (no final snapshot: it holds only what a run rebuilds) and waits until it is gone.
 * Leaves a cluster sparkify did not create alone.
 */
export async function deleteCluster(
  redshift: RedshiftClient,
  identifier: string,
  onEvent?: InfraListener,
): Promise<'deleted' | 'absent' | 'not-managed'> {
  const resource = `cluster ${identifier}`;
  const found = await findCluster(redshift, identifier);
  if (!found) return 'absent';
  if (!found.managed) return 'not-managed';
  if (found.status !== 'deleting') {
    try {
      await redshift.send(new DeleteClusterCommand({ ClusterIdentifier: identifier, SkipFinalClusterSnapshot: true }));
    } catch (error) {
      if (isAwsError(error, 'ClusterNotFound', 'ClusterNotFoundFault')) return 'absent';
      await awsCall('redshift:DeleteCluster', resource, () => Promise.reject(error));
    }
  }
  await waitFor({
    resource,
    describe: () => findCluster(redshift, identifier),
    state: (cluster) => cluster?.status ?? 'deleted',
    reached: (cluster) => cluster === undefined,
    onEvent,
  });
  return 'deleted';
}

function clusterState(cluster: Cluster, identifier: string): ClusterState {
  return {
    identifier: cluster.ClusterIdentifier ?? identifier,
    status: cluster.ClusterStatus ?? 'unknown',
    nodeType: cluster.NodeType ?? 'unknown',
    nodes: cluster.NumberOfNodes ?? 1,
    host: cluster.Endpoint?.Address,
    port: cluster.Endpoint?.Port,
    database: cluster.DBName,
    masterUser: cluster.MasterUsername,
    publiclyAccessible: cluster.PubliclyAccessible === true,
    securityGroupIds: (cluster.VpcSecurityGroups ?? []).flatMap((group) => (group.VpcSecurityGroupId ? [group.VpcSecurityGroupId] : [])),
    managed: isManaged(cluster.Tags),
  };
}
