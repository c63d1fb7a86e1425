/**
 * `sparkify infra up|status|down`: the Redshift warehouse and its IAM role, made and removed by one command
 * each. The work is the library's (src/infra/); this file parses flags, asks before deleting, and prints.
 */
import { createInterface } from 'node:readline/promises';
import { Command } from 'commander';
import { ConfigError } from '../../errors.js';
import { formatCost } from '../../infra/cost-table.js';
import {
  type InfraFlags,
  type InfraStatus,
  type InfraUpResult,
  infraDown,
  infraStatus,
  infraUp,
  loadInfraSettings,
} from '../../infra/infra.js';
import { createInfraProgress } from '../infra-progress.js';

/** The `infra` verb and its three subcommands. */
export function infraCommand(): Command {
  const infra = new Command('infra').description('create, inspect and delete the Redshift warehouse and its IAM role (up, status, down)');
  infra.addCommand(
    withInfraOptions(new Command('up'))
      .description('find or create the IAM role and the cluster (or Serverless workgroup), wait until available, write dwh.cfg')
      .option(
        '--public',
        'make the warehouse publicly accessible and open its port to --cidr (default: reachable only through the Data API)',
      )
      .option('--cidr <address/bits>', 'with --public: the only address allowed in, such as 203.0.113.7/32')
      .option('--cluster-type <type>', 'multi-node or single-node ([DWH] DWH_CLUSTER_TYPE; default: multi-node with 2 nodes)')
      .option('--num-nodes <n>', 'nodes of the cluster ([DWH] DWH_NUM_NODES; default: 2)')
      .option('--node-type <type>', 'node type ([DWH] DWH_NODE_TYPE; default: ra3.large)')
      .option('--base-capacity <rpu>', 'Serverless base capacity in RPUs ([DWH] DWH_BASE_CAPACITY; default: 8)')
      .option('--db <name>', 'database name ([DWH] DWH_DB; default: dwh)')
      .option('--db-user <name>', 'master user ([DWH] DWH_DB_USER; default: dwhuser)')
      .option('--port <n>', 'port ([DWH] DWH_PORT; default: 5439)')
      .action(async (options: InfraFlags & { json?: boolean }) => {
        const settings = loadInfraSettings(options);
        const progress = createInfraProgress(options.json !== true);
        try {
          const result = await infraUp(settings, { onEvent: progress.listener });
          progress.stop();
          process.stdout.write(options.json ? `${JSON.stringify(result, null, 2)}\n` : formatUp(result));
        } finally {
          progress.stop();
        }
      }),
  );
  infra.addCommand(
    withInfraOptions(new Command('status'))
      .description('what exists (role, cluster, workgroup, ingress), its state, endpoint and cost per hour')
      .action(async (options: InfraFlags & { json?: boolean }) => {
        const status = await infraStatus(loadInfraSettings(options));
        process.stdout.write(options.json ? `${JSON.stringify(status, null, 2)}\n` : formatStatus(status));
      }),
  );
  infra.addCommand(
    withInfraOptions(new Command('down'))
      .description('delete what `infra up` made: ingress rule, cluster or workgroup and namespace, IAM role (asks first)')
      .option('--yes', 'delete without asking (required without a terminal)')
      .action(async (options: InfraFlags & { json?: boolean; yes?: boolean }) => {
        const settings = loadInfraSettings(options);
        await confirm(options.yes === true, `Delete cluster/workgroup ${settings.clusterIdentifier} and IAM role ${settings.roleName}?`);
        const progress = createInfraProgress(options.json !== true);
        try {
          const result = await infraDown(settings, { onEvent: progress.listener });
          progress.stop();
          if (options.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
          else {
            const lines = result.actions.map(({ resource, outcome }) => `${resource}: ${OUTCOMES[outcome]}`);
            process.stdout.write(`${lines.join('\n')}\n`);
          }
        } finally {
          progress.stop();
        }
      }),
  );
  for (const command of infra.commands) command.exitOverride();
  return infra;
}

const OUTCOMES = {
  deleted: 'deleted',
  revoked: 'revoked',
  absent: 'none',
  'not-managed': 'not made by sparkify infra: left alone',
} as const;

function withInfraOptions(command: Command): Command {
  return command
    .option('--config <file>', 'the dwh.cfg to read [DWH] from and write to (default: SPARKIFY_CONFIG or ./dwh.cfg)')
    .option('--serverless', 'Redshift Serverless namespace and workgroup instead of a provisioned cluster')
    .option('--region <region>', 'AWS region of the warehouse ([DWH] DWH_REGION; default: AWS_REGION or the profile)')
    .option('--cluster-identifier <id>', 'cluster, or namespace and workgroup, name ([DWH] DWH_CLUSTER_IDENTIFIER; default: sparkify-dwh)')
    .option('--iam-role-name <name>', 'IAM role name ([DWH] DWH_IAM_ROLE_NAME; default: sparkify-redshift-s3-read)')
    .option('--json', 'print the result as JSON, with no progress display')
    .option('--verbose', 'print stack traces and causes of errors');
}

// Deleting is not undoable: asked on a terminal, refused without one unless --yes.
async function confirm(yes: boolean, question: string): Promise<void> {
  if (yes) return;
  if (!process.stdin.isTTY)
    throw new ConfigError('infra down deletes the warehouse and its data: add --yes to confirm when there is no terminal');
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await prompt.question(`${question} Its data is lost. [y/N] `);
    if (!/^y(es)?$/i.test(answer.trim())) throw new ConfigError('infra down: not confirmed, nothing was deleted');
  } finally {
    prompt.close();
  }
}

function formatUp(result: InfraUpResult): string {
  const access = result.warehouse.startsWith('redshift-data:')
    ? 'through the Redshift Data API (HTTPS with your IAM credentials; no open port)'
    : `over TCP from ${result.ingress?.cidr ?? 'the allowed address'} (set DB_PASSWORD, or use the Data API URL)`;
  const lines = [
    result.created.length > 0 ? `Created: ${result.created.join(', ')}` : 'Everything already existed: nothing was created',
    `Warehouse: ${result.warehouse}`,
    `  reached ${access}`,
    `Endpoint:  ${result.host}:${result.port}, database ${result.database}, user ${result.user}`,
    `IAM role:  ${result.roleArn}`,
    `Config:    ${result.configFile} ${result.configChanged ? 'updated' : 'unchanged'}`,
    `Cost:      ${formatCost(result.costPerHour, result.kind === 'serverless' ? '/h while queries run' : '/h while it exists')}; \`sparkify infra down\` removes it`,
  ];
  return `${lines.join('\n')}\n`;
}

function formatStatus(status: InfraStatus): string {
  const none = 'none';
  const lines = [
    `Account:   ${status.account ?? 'unknown'}, region ${status.region ?? 'unknown'}`,
    `IAM role:  ${status.role ? `${status.role.arn}${status.role.managed ? '' : ' (not made by sparkify)'}` : none}`,
    `Cluster:   ${
      status.cluster
        ? `${status.cluster.identifier} ${status.cluster.status}, ${status.cluster.nodes} x ${status.cluster.nodeType}, ` +
          `${status.cluster.host ? `${status.cluster.host}:${status.cluster.port}` : 'no endpoint yet'}` +
          `${status.cluster.publiclyAccessible ? ', publicly accessible' : ''}${status.cluster.managed ? '' : ' (not made by sparkify)'}`
        : none
    }`,
    `Workgroup: ${
      status.workgroup
        ? `${status.workgroup.name} ${status.workgroup.status}, ${status.workgroup.baseCapacity} RPU, ` +
          `${status.workgroup.host ? `${status.workgroup.host}:${status.workgroup.port}` : 'no endpoint yet'}`
        : none
    }`,
    `Namespace: ${status.namespace ? `${status.namespace.name} ${status.namespace.status}` : none}`,
    `Ingress:   ${status.ingress.length > 0 ? status.ingress.map((rule) => `${rule.cidr} -> ${rule.port} on ${rule.groupId}`).join(', ') : 'none (no open port)'}`,
    `Cost:      ${formatCost(status.costPerHour)}${status.workgroup ? ' (Serverless: while queries run)' : ''}`,
  ];
  return `${lines.join('\n')}\n`;
}
