/**
 * `sparkify infra up`, `status` and `down` as library calls: the IAM role, the cluster (or Serverless
 * namespace and workgroup), the optional ingress rule, and the dwh.cfg keys that point runs at them. Each is
 * safe to repeat: `up` finds what exists and creates only what is missing; `down` deletes only what carries
 * sparkify's tag and is fine when nothing is left.
 */
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { clusterCostPerHour, serverlessCostPerHour } from './cost-table.js';
import { type DwhConfigEdit, writeDwhConfig } from './dwh-config-writer.js';
import { deleteRole, ensureRole, findRole, type RoleState } from './iam-role.js';
import { createInfraClients, type InfraClients } from './infra-clients.js';
import { awsCall } from './infra-errors.js';
import type { InfraKind, InfraSettings } from './infra-settings.js';
import type { InfraListener } from './infra-wait.js';
import { type ClusterState, deleteCluster, ensureCluster, findCluster } from './redshift-cluster.js';
import { findIngress, type IngressRule, openIngress, revokeIngress } from './security-group-ingress.js';
import {
  deleteServerless,
  ensureServerless,
  findNamespace,
  findWorkgroup,
  type NamespaceState,
  type WorkgroupState,
} from './serverless-workgroup.js';

/** Hooks of the infra calls. */
export interface InfraHooks {
  readonly onEvent?: InfraListener;
  /** Warnings (classic keys in dwh.cfg); default: stderr. */
  readonly warn?: (message: string) => void;
}

/** What `infraUp` made or found. Holds no secret. */
export interface InfraUpResult {
  readonly kind: InfraKind;
  readonly account?: string;
  readonly roleArn: string;
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  /** The warehouse URL runs use: `redshift-data://...` (no open port), or the `[CLUSTER]` one with --public. */
  readonly warehouse: string;
  /** What was created this time (empty on a repeat). */
  readonly created: readonly string[];
  readonly configFile: string;
  readonly configChanged: boolean;
  readonly costPerHour?: number;
  readonly ingress?: IngressRule;
}

/** Creates what is missing, waits until the warehouse is available, and writes dwh.cfg. */
export async function infraUp(settings: InfraSettings, hooks: InfraHooks = {}): Promise<InfraUpResult> {
  return withClients(settings, hooks, async (clients) => {
    const account = await callerAccount(clients);
    const created: string[] = [];
    const { role, created: roleCreated } = await ensureRole(clients.iam, settings.roleName);
    if (roleCreated) created.push(`IAM role ${role.name}`);
    hooks.onEvent?.({ resource: `IAM role ${role.name}`, state: roleCreated ? 'created' : 'exists', done: true });

    let endpoint: { host: string; port: number; securityGroupIds: readonly string[] };
    let costPerHour: number | undefined;
    if (settings.serverless) {
      const made = await ensureServerless(clients.serverless, settings, role.arn, hooks.onEvent);
      if (made.created) created.push(`workgroup ${settings.clusterIdentifier}`);
      endpoint = {
        host: made.workgroup.host!,
        port: made.workgroup.port ?? settings.port,
        securityGroupIds: made.workgroup.securityGroupIds,
      };
      costPerHour = serverlessCostPerHour(made.workgroup.baseCapacity || settings.baseCapacity);
    } else {
      const made = await ensureCluster(clients.redshift, settings, role.arn, hooks.onEvent);
      if (made.created) created.push(`cluster ${settings.clusterIdentifier}`);
      endpoint = { host: made.cluster.host!, port: made.cluster.port ?? settings.port, securityGroupIds: made.cluster.securityGroupIds };
      costPerHour = clusterCostPerHour(made.cluster.nodeType, made.cluster.nodes);
    }

    let ingress: IngressRule | undefined;
    if (settings.public && settings.cidr) {
      const groupId = endpoint.securityGroupIds[0];
      if (groupId) {
        const opened = await openIngress(clients.ec2, groupId, settings.cidr, endpoint.port, settings.clusterIdentifier);
        ingress = { groupId, cidr: settings.cidr, port: endpoint.port };
        if (opened) created.push(`ingress ${settings.cidr} -> ${endpoint.port} on ${groupId}`);
        hooks.onEvent?.({
          resource: `security group ${groupId}`,
          state: opened ? `opened ${endpoint.port} to ${settings.cidr}` : 'rule exists',
          done: true,
        });
      }
    }

    const warehouse = settings.public
      ? `redshift://${settings.dbUser}@${endpoint.host}:${endpoint.port}/${settings.database}`
      : dataApiUrl(settings);
    const configChanged = writeDwhConfig(settings.configFile, configEdits(settings, endpoint, role.arn));
    return {
      kind: settings.serverless ? 'serverless' : 'provisioned',
      account,
      roleArn: role.arn,
      host: endpoint.host,
      port: endpoint.port,
      database: settings.database,
      user: settings.dbUser,
      warehouse,
      created,
      configFile: settings.configFile,
      configChanged,
      costPerHour,
      ingress,
    };
  });
}

/** What exists now, for `infra status`. */
export interface InfraStatus {
  readonly account?: string;
  readonly region?: string;
  readonly role?: RoleState;
  readonly cluster?: ClusterState;
  readonly workgroup?: WorkgroupState;
  readonly namespace?: NamespaceState;
  readonly ingress: readonly IngressRule[];
  /** Dollars per hour of what exists (Serverless: per hour of activity at base capacity). */
  readonly costPerHour: number;
}

/** Looks up the role, the cluster and the Serverless workgroup and namespace of `settings`, and the ingress. */
export async function infraStatus(settings: InfraSettings, hooks: InfraHooks = {}): Promise<InfraStatus> {
  return withClients(settings, hooks, async (clients) => {
    const account = await callerAccount(clients);
    const id = settings.clusterIdentifier;
    const [role, cluster, workgroup, namespace, ingress] = await Promise.all([
      findRole(clients.iam, settings.roleName),
      findCluster(clients.redshift, id),
      findWorkgroup(clients.serverless, id),
      findNamespace(clients.serverless, id),
      findIngress(clients.ec2, id),
    ]);
    const region = await clients.redshift.config.region().catch(() => settings.region);
    const costPerHour =
      (cluster ? (clusterCostPerHour(cluster.nodeType, cluster.nodes) ?? 0) : 0) +
      (workgroup ? serverlessCostPerHour(workgroup.baseCapacity) : 0);
    return { account, region, role, cluster, workgroup, namespace, ingress, costPerHour };
  });
}

/** What `infraDown` did to each thing. */
export interface InfraDownResult {
  readonly actions: readonly { readonly resource: string; readonly outcome: 'deleted' | 'revoked' | 'absent' | 'not-managed' }[];
}

/**
 * Revokes the ingress sparkify added, deletes the cluster and the Serverless workgroup and namespace (each
 * when present and made by sparkify) waiting until they are gone, then detaches the policy and deletes the
 * role. Confirmation is the caller's business (the CLI asks).
 */
export async function infraDown(settings: InfraSettings, hooks: InfraHooks = {}): Promise<InfraDownResult> {
  return withClients(settings, hooks, async (clients) => {
    await callerAccount(clients);
    const id = settings.clusterIdentifier;
    const actions: InfraDownResult['actions'][number][] = [];
    const report = (resource: string, outcome: InfraDownResult['actions'][number]['outcome']) => {
      actions.push({ resource, outcome });
      hooks.onEvent?.({ resource, state: outcome, done: true });
    };
    for (const rule of await findIngress(clients.ec2, id)) {
      await revokeIngress(clients.ec2, rule);
      report(`ingress ${rule.cidr} -> ${rule.port} on ${rule.groupId}`, 'revoked');
    }
    report(`cluster ${id}`, await deleteCluster(clients.redshift, id, hooks.onEvent));
    const serverless = await deleteServerless(clients.serverless, id, hooks.onEvent);
    report(`workgroup ${id}`, serverless.workgroup);
    report(`namespace ${id}`, serverless.namespace);
    report(`IAM role ${settings.roleName}`, await deleteRole(clients.iam, settings.roleName));
    return { actions };
  });
}

/** The Data API warehouse URL for what `settings` describes (see warehouse-target.ts). */
export function dataApiUrl(settings: InfraSettings): string {
  const parameters = new URLSearchParams();
  if (!settings.serverless) parameters.set('db_user', settings.dbUser);
  if (settings.region) parameters.set('region', settings.region);
  const query = parameters.toString();
  const kind = settings.serverless ? 'workgroup' : 'cluster';
  return `redshift-data://${kind}/${settings.clusterIdentifier}/${settings.database}${query ? `?${query}` : ''}`;
}

// The keys `up` owns. Without --public, [SPARKIFY] WAREHOUSE selects the Data API (no open port); with it,
// a WAREHOUSE sparkify wrote earlier is removed so that [CLUSTER] applies.
function configEdits(settings: InfraSettings, endpoint: { host: string; port: number }, roleArn: string): DwhConfigEdit[] {
  return [
    { section: 'CLUSTER', key: 'HOST', value: endpoint.host },
    { section: 'CLUSTER', key: 'DB_NAME', value: settings.database },
    { section: 'CLUSTER', key: 'DB_USER', value: settings.dbUser },
    { section: 'CLUSTER', key: 'DB_PORT', value: String(endpoint.port) },
    { section: 'IAM_ROLE', key: 'ARN', value: roleArn },
    settings.public
      ? { section: 'SPARKIFY', key: 'WAREHOUSE', onlyReplacing: /^redshift-data:/i }
      : { section: 'SPARKIFY', key: 'WAREHOUSE', value: dataApiUrl(settings) },
  ];
}

async function callerAccount(clients: InfraClients): Promise<string | undefined> {
  const identity = await awsCall('sts:GetCallerIdentity', 'the AWS credentials', () => clients.sts.send(new GetCallerIdentityCommand({})));
  return identity.Account;
}

async function withClients<T>(settings: InfraSettings, hooks: InfraHooks, work: (clients: InfraClients) => Promise<T>): Promise<T> {
  const warn = hooks.warn ?? ((message: string) => process.stderr.write(`sparkify: warning: ${message}\n`));
  const clients = createInfraClients(settings, warn);
  try {
    return await work(clients);
  } finally {
    clients.destroy();
  }
}
