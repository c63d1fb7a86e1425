/**
 * Redshift Serverless: a namespace (database, admin user, IAM role) and a workgroup at the smallest base
 * capacity. Redshift Serverless has no waiters, so GetWorkgroup and GetNamespace are polled. Deleted (the
 * workgroup, then the namespace) only when sparkify created them (tagged).
 */
import {
  CreateNamespaceCommand,
  CreateWorkgroupCommand,
  DeleteNamespaceCommand,
  DeleteWorkgroupCommand,
  GetNamespaceCommand,
  GetWorkgroupCommand,
  ListTagsForResourceCommand,
  type RedshiftServerlessClient,
  UpdateWorkgroupCommand,
} from '@aws-sdk/client-redshift-serverless';
import { awsCall, InfraError, isAwsError } from './infra-errors.js';
import type { InfraSettings } from './infra-settings.js';
import { isManaged, MANAGED_TAGS_LOWER } from './infra-tags.js';
import { type InfraListener, waitFor } from './infra-wait.js';

/** A workgroup as `infra` sees it. */
export interface WorkgroupState {
  readonly name: string;
  readonly status: string;
  readonly baseCapacity: number;
  readonly host?: string;
  readonly port?: number;
  readonly publiclyAccessible: boolean;
  readonly securityGroupIds: readonly string[];
  readonly managed: boolean;
}

/** A namespace as `infra` sees it. */
export interface NamespaceState {
  readonly name: string;
  readonly status: string;
  readonly database?: string;
  readonly adminUser?: string;
  readonly managed: boolean;
}

const NOT_FOUND = ['ResourceNotFoundException'];

/** The workgroup `name`, or undefined. */
export async function findWorkgroup(serverless: RedshiftServerlessClient, name: string): Promise<WorkgroupState | undefined> {
  const found = await orAbsent('redshift-serverless:GetWorkgroup', `workgroup ${name}`, () =>
    serverless.send(new GetWorkgroupCommand({ workgroupName: name })),
  );
  const workgroup = found?.workgroup;
  if (!workgroup) return undefined;
  return {
    name,
    status: workgroup.status ?? 'UNKNOWN',
    baseCapacity: workgroup.baseCapacity ?? 0,
    host: workgroup.endpoint?.address,
    port: workgroup.endpoint?.port,
    publiclyAccessible: workgroup.publiclyAccessible === true,
    securityGroupIds: workgroup.securityGroupIds ?? [],
    managed: await tagged(serverless, workgroup.workgroupArn),
  };
}

/** The namespace `name`, or undefined. */
export async function findNamespace(serverless: RedshiftServerlessClient, name: string): Promise<NamespaceState | undefined> {
  const found = await orAbsent('redshift-serverless:GetNamespace', `namespace ${name}`, () =>
    serverless.send(new GetNamespaceCommand({ namespaceName: name })),
  );
  const namespace = found?.namespace;
  if (!namespace) return undefined;
  return {
    name,
    status: namespace.status ?? 'UNKNOWN',
    database: namespace.dbName,
    adminUser: namespace.adminUsername,
    managed: await tagged(serverless, namespace.namespaceArn),
  };
}

/** Creates what is missing of the namespace and workgroup, and waits until the workgroup is available. */
export async function ensureServerless(
  serverless: RedshiftServerlessClient,
  settings: InfraSettings,
  roleArn: string,
  onEvent?: InfraListener,
): Promise<{ workgroup: WorkgroupState; namespace: NamespaceState; created: boolean }> {
  const name = settings.clusterIdentifier;
  let created = false;
  let namespace = await findNamespace(serverless, name);
  if (namespace?.status === 'DELETING') {
    throw new InfraError(`namespace ${name} is in a state that forbids redshift-serverless:CreateNamespace (DELETING): wait and run again`);
  }
  if (!namespace) {
    await awsCall('redshift-serverless:CreateNamespace', `namespace ${name}`, () =>
      serverless.send(
        new CreateNamespaceCommand({
          namespaceName: name,
          dbName: settings.database,
          adminUsername: settings.dbUser,
          ...(settings.password ? { adminUserPassword: settings.password } : { manageAdminPassword: true }),
          iamRoles: [roleArn],
          defaultIamRoleArn: roleArn,
          tags: MANAGED_TAGS_LOWER,
        }),
      ),
    );
    created = true;
    onEvent?.({ resource: `namespace ${name}`, state: 'created', done: true });
  }
  let workgroup = await findWorkgroup(serverless, name);
  if (workgroup?.status === 'DELETING') {
    throw new InfraError(`workgroup ${name} is in a state that forbids redshift-serverless:CreateWorkgroup (DELETING): wait and run again`);
  }
  if (!workgroup) {
    await awsCall('redshift-serverless:CreateWorkgroup', `workgroup ${name}`, () =>
      serverless.send(
        new CreateWorkgroupCommand({
          workgroupName: name,
          namespaceName: name,
          baseCapacity: settings.baseCapacity,
          publiclyAccessible: settings.public,
          port: settings.port,
          tags: MANAGED_TAGS_LOWER,
        }),
      ),
    );
    created = true;
    onEvent?.({ resource: `workgroup ${name}`, state: 'CREATING' });
  } else if (settings.public && !workgroup.publiclyAccessible) {
    await awsCall('redshift-serverless:UpdateWorkgroup', `workgroup ${name}`, () =>
      serverless.send(new UpdateWorkgroupCommand({ workgroupName: name, publiclyAccessible: true })),
    );
  }
  workgroup = await waitFor({
    resource: `workgroup ${name}`,
    describe: () => findWorkgroup(serverless, name),
    state: (found) => found?.status ?? 'gone',
    reached: (found) => found === undefined || (found.status === 'AVAILABLE' && found.host !== undefined),
    onEvent,
  });
  namespace = await findNamespace(serverless, name);
  if (!workgroup || !namespace) throw new InfraError(`workgroup ${name} disappeared while sparkify waited for it: see the AWS console`);
  return { workgroup, namespace, created };
}

/** Deletes the workgroup, then the namespace, each when sparkify made it, waiting until each is gone. */
export async function deleteServerless(
  serverless: RedshiftServerlessClient,
  name: string,
  onEvent?: InfraListener,
): Promise<{ workgroup: 'deleted' | 'absent' | 'not-managed'; namespace: 'deleted' | 'absent' | 'not-managed' }> {
  const workgroup = await deleteOne({
    resource: `workgroup ${name}`,
    find: () => findWorkgroup(serverless, name),
    remove: () => serverless.send(new DeleteWorkgroupCommand({ workgroupName: name })),
    action: 'redshift-serverless:DeleteWorkgroup',
    onEvent,
  });
  // A namespace cannot go while a workgroup uses it; one sparkify did not make stays, and so does this.
  if (workgroup === 'not-managed') return { workgroup, namespace: 'not-managed' };
  const namespace = await deleteOne({
    resource: `namespace ${name}`,
    find: () => findNamespace(serverless, name),
    remove: () => serverless.send(new DeleteNamespaceCommand({ namespaceName: name })),
    action: 'redshift-serverless:DeleteNamespace',
    onEvent,
  });
  return { workgroup, namespace };
}

async function deleteOne(options: {
  resource: string;
  find(): Promise<{ status: string; managed: boolean } | undefined>;
  remove(): Promise<unknown>;
  action: string;
  onEvent?: InfraListener;
}): Promise<'deleted' | 'absent' | 'not-managed'> {
  const found = await options.find();
  if (!found) return 'absent';
  if (!found.managed) return 'not-managed';
  if (found.status !== 'DELETING') {
    const removed = await orAbsent(options.action, options.resource, options.remove);
    if (removed === undefined) return 'absent';
  }
  await waitFor({
    resource: options.resource,
    describe: options.find,
    state: (current) => current?.status ?? 'DELETED',
    reached: (current) => current === undefined,
    onEvent: options.onEvent,
  });
  return 'deleted';
}

async function tagged(serverless: RedshiftServerlessClient, arn: string | undefined): Promise<boolean> {
  if (!arn) return false;
  const listed = await orAbsent('redshift-serverless:ListTagsForResource', arn, () =>
    serverless.send(new ListTagsForResourceCommand({ resourceArn: arn })),
  );
  return isManaged(listed?.tags);
}

// The call's result, or undefined when the resource does not exist.
async function orAbsent<T>(action: string, resource: string, call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (isAwsError(error, ...NOT_FOUND)) return undefined;
    return awsCall(action, resource, () => Promise.reject(error));
  }
}
