/**
 * `sparkify infra up|status|down` end to end against the loopback AWS server (real SDK clients on the wire):
 * up, up again (nothing changes), status, down, down again (nothing left), the Serverless and --public
 * variants, dwh.cfg edits that keep the rest of the file, and each error a user can act on.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AwsServer, startAwsServer } from '../support/aws-server/aws-server.js';
import { tempFolder } from '../support/test-warehouses.js';
import { sparkifyOnAws } from './infra-test-support.js';

let server: AwsServer;
let cwd: string;
const infra = (args: string[], env: Record<string, string> = {}) => sparkifyOnAws(server, ['infra', ...args], cwd, env);
const config = () => readFileSync(join(cwd, 'dwh.cfg'), 'utf8');

beforeEach(async () => {
  server = await startAwsServer();
  cwd = tempFolder('sparkify-infra-');
});
afterEach(async () => {
  await server.close();
});

// Each test runs the CLI several times (a second or more each on a loaded machine): more than the default 60 s.
describe('sparkify infra on the loopback AWS server', { timeout: 180_000 }, () => {
  it('up creates the role and cluster and writes dwh.cfg; up again changes nothing; down leaves nothing; down again is fine', async () => {
    const up = await infra(['up']);
    expect(up.stderr).toContain('cluster sparkify-dwh: creating');
    expect(up.status, up.stderr).toBe(0);
    expect(up.stdout).toContain('Created: IAM role sparkify-redshift-s3-read, cluster sparkify-dwh');
    expect(up.stdout).toContain('Warehouse: redshift-data://cluster/sparkify-dwh/dwh?db_user=dwhuser');
    expect(up.stdout).toContain('$1.09/h');

    const role = server.state.roles.get('sparkify-redshift-s3-read')!;
    expect(JSON.parse(role.trust).Statement[0].Principal.Service).toEqual(['redshift.amazonaws.com', 'redshift-serverless.amazonaws.com']);
    expect([...role.policies]).toEqual(['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess']);
    const cluster = server.state.clusters.get('sparkify-dwh')!;
    expect(cluster).toMatchObject({
      status: 'available',
      nodeType: 'ra3.large',
      nodes: 2,
      publiclyAccessible: false,
      managedPassword: true,
    });
    expect(cluster.iamRoles).toEqual([role.arn]);
    expect(server.state.groups.get('sg-0default')!.rules).toEqual([]);

    const written = config();
    expect(written).toBe(
      [
        '[CLUSTER]',
        'HOST=sparkify-dwh.c0ffee123456.us-west-2.redshift.amazonaws.com',
        'DB_NAME=dwh',
        'DB_USER=dwhuser',
        'DB_PORT=5439',
        '',
        '[IAM_ROLE]',
        'ARN=arn:aws:iam::123456789012:role/sparkify-redshift-s3-read',
        '',
        '[SPARKIFY]',
        'WAREHOUSE=redshift-data://cluster/sparkify-dwh/dwh?db_user=dwhuser',
        '',
      ].join('\n'),
    );

    const callsBefore = server.calls.length;
    const again = await infra(['up']);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toContain('Everything already existed: nothing was created');
    expect(again.stdout).toContain('unchanged');
    expect(config()).toBe(written);
    expect(server.calls.slice(callsBefore).filter((call) => /:(Create|Attach|Authorize|Modify)/.test(call))).toEqual([]);

    const status = await infra(['status', '--json']);
    expect(status.status, status.stderr).toBe(0);
    const report = JSON.parse(status.stdout);
    expect(report).toMatchObject({
      account: '123456789012',
      role: { arn: role.arn, managed: true },
      cluster: {
        status: 'available',
        nodes: 2,
        nodeType: 'ra3.large',
        host: 'sparkify-dwh.c0ffee123456.us-west-2.redshift.amazonaws.com',
        port: 5439,
      },
      ingress: [],
      costPerHour: 1.086,
    });
    expect(report.workgroup).toBeUndefined();

    const down = await infra(['down', '--yes']);
    expect(down.status, down.stderr).toBe(0);
    expect(down.stdout).toContain('cluster sparkify-dwh: deleted');
    expect(down.stdout).toContain('IAM role sparkify-redshift-s3-read: deleted');
    expect(server.state.leftovers()).toEqual([]);
    expect(server.calls).toContain('redshift:DeleteCluster');

    const twice = await infra(['down', '--yes']);
    expect(twice.status, twice.stderr).toBe(0);
    expect(twice.stdout).toContain('cluster sparkify-dwh: none');
    expect(twice.stdout).toContain('IAM role sparkify-redshift-s3-read: none');
    expect((await infra(['status'])).stdout).toMatch(/Cluster: +none[\s\S]*Cost: +\$0\.00\/h/);
  });

  it('edits only its keys in an existing dwh.cfg: comments, quotes, order, other sections and CRLF stay; [DWH] sets the cluster', async () => {
    const original = [
      '; the classic infrastructure-as-code template',
      '[AWS_NOTES]',
      '# nothing secret here',
      '',
      '[DWH]',
      'DWH_CLUSTER_TYPE=multi-node',
      'DWH_NUM_NODES=4',
      'DWH_NODE_TYPE=ra3.xlplus',
      'DWH_IAM_ROLE_NAME=dwhRole',
      'DWH_CLUSTER_IDENTIFIER=dwhcluster',
      'DWH_DB=sparkifydb',
      'DWH_DB_USER=etl',
      'DWH_PORT=5439',
      '',
      '[CLUSTER]',
      "HOST='old-host.example.com'",
      '# the user keeps this comment',
      "DB_NAME = 'olddb'",
      '',
      '[S3]',
      "LOG_DATA='s3://udacity-dend/log_data'",
      "SONG_DATA='s3://udacity-dend/song_data'",
      '',
    ].join('\r\n');
    writeFileSync(join(cwd, 'dwh.cfg'), original);
    const up = await infra(['up']);
    expect(up.status, up.stderr).toBe(0);
    expect(server.state.clusters.get('dwhcluster')).toMatchObject({ nodeType: 'ra3.xlplus', nodes: 4, db: 'sparkifydb', user: 'etl' });
    const expected = original
      .replace("HOST='old-host.example.com'", "HOST='dwhcluster.c0ffee123456.us-west-2.redshift.amazonaws.com'")
      .replace("DB_NAME = 'olddb'", "DB_NAME = 'sparkifydb'\r\nDB_USER='etl'\r\nDB_PORT='5439'")
      .replace(
        "SONG_DATA='s3://udacity-dend/song_data'\r\n",
        "SONG_DATA='s3://udacity-dend/song_data'\r\n\r\n[IAM_ROLE]\r\nARN='arn:aws:iam::123456789012:role/dwhRole'\r\n\r\n[SPARKIFY]\r\nWAREHOUSE='redshift-data://cluster/dwhcluster/sparkifydb?db_user=etl'\r\n",
      );
    expect(config()).toBe(expected);
    expect(server.state.clusters.get('dwhcluster')!.tags).toEqual([{ Key: 'managed-by', Value: 'sparkify-infra' }]);
  });

  it('--public opens the port to the given address only, and down revokes exactly that rule', async () => {
    expect((await infra(['up', '--public'])).stderr).toMatch(/--public needs --cidr/);
    server.state.groups
      .get('sg-0default')!
      .rules.push({ protocol: 'tcp', fromPort: 22, toPort: 22, cidr: '198.51.100.0/24', description: 'ssh, not ours' });
    const up = await infra(['up', '--public', '--cidr', '203.0.113.7/32']);
    expect(up.status, up.stderr).toBe(0);
    expect(server.state.clusters.get('sparkify-dwh')!.publiclyAccessible).toBe(true);
    expect(server.state.groups.get('sg-0default')!.rules).toContainEqual({
      protocol: 'tcp',
      fromPort: 5439,
      toPort: 5439,
      cidr: '203.0.113.7/32',
      description: 'sparkify infra sparkify-dwh',
    });
    expect(config()).not.toContain('WAREHOUSE');
    expect((await infra(['up', '--public', '--cidr', '203.0.113.7/32'])).status).toBe(0); // InvalidPermission.Duplicate is fine
    expect(JSON.parse((await infra(['status', '--json'])).stdout).ingress).toEqual([
      { groupId: 'sg-0default', cidr: '203.0.113.7/32', port: 5439 },
    ]);
    const down = await infra(['down', '--yes']);
    expect(down.status, down.stderr).toBe(0);
    expect(down.stdout).toContain('ingress 203.0.113.7/32 -> 5439 on sg-0default: revoked');
    expect(server.state.groups.get('sg-0default')!.rules.map((rule) => rule.cidr)).toEqual(['198.51.100.0/24']);
  });

  it('--serverless makes a namespace and a workgroup at base capacity 8, and down deletes the workgroup, then the namespace', async () => {
    const up = await infra(['up', '--serverless']);
    expect(up.status, up.stderr).toBe(0);
    expect(up.stderr).toContain('workgroup sparkify-dwh: CREATING');
    expect(server.state.workgroups.get('sparkify-dwh')).toMatchObject({ status: 'AVAILABLE', baseCapacity: 8, publiclyAccessible: false });
    expect(server.state.namespaces.get('sparkify-dwh')).toMatchObject({ db: 'dwh', admin: 'dwhuser' });
    expect(config()).toContain('WAREHOUSE=redshift-data://workgroup/sparkify-dwh/dwh\n');
    expect(config()).toContain('HOST=sparkify-dwh.123456789012.us-west-2.redshift-serverless.amazonaws.com');
    expect(up.stdout).toContain('$3.00/h while queries run');
    expect((await infra(['up', '--serverless'])).stdout).toContain('nothing was created');
    const down = await infra(['down', '--yes']);
    expect(down.status, down.stderr).toBe(0);
    expect(down.stdout).toContain('workgroup sparkify-dwh: deleted');
    expect(down.stdout).toContain('namespace sparkify-dwh: deleted');
    expect(server.state.leftovers()).toEqual([]);
  });

  it('down never deletes what sparkify did not create, and refuses without a terminal unless --yes', async () => {
    server.state.roles.set('sparkify-redshift-s3-read', {
      name: 'sparkify-redshift-s3-read',
      arn: 'arn:aws:iam::123456789012:role/sparkify-redshift-s3-read',
      trust: '{}',
      tags: [],
      policies: new Set(['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess']),
    });
    const refused = await infra(['down']);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('add --yes to confirm');
    expect(server.calls.filter((call) => call.includes('Delete'))).toEqual([]);
    const down = await infra(['down', '--yes']);
    expect(down.status, down.stderr).toBe(0);
    expect(down.stdout).toContain('IAM role sparkify-redshift-s3-read: not made by sparkify infra: left alone');
    expect(server.state.roles.has('sparkify-redshift-s3-read')).toBe(true);
  });

  it('never prints or writes the master password given in the environment', async () => {
    const password = 'S3cretPassw0rd';
    const up = await infra(['up'], { SPARKIFY_DWH_DB_PASSWORD: password });
    expect(up.status, up.stderr).toBe(0);
    expect(server.state.clusters.get('sparkify-dwh')!.managedPassword).toBe(false);
    const status = await infra(['status', '--json'], { SPARKIFY_DWH_DB_PASSWORD: password });
    for (const text of [up.stdout, up.stderr, status.stdout, status.stderr, config()]) expect(text).not.toContain(password);
    const bad = await infra(['up'], { SPARKIFY_DWH_DB_PASSWORD: 'short' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('SPARKIFY_DWH_DB_PASSWORD (environment): expected 8-64 characters');
    expect(bad.stderr).not.toContain('short');
  });
});

describe('sparkify infra errors, one line each', { timeout: 180_000 }, () => {
  const oneLine = (stderr: string) =>
    stderr
      .trim()
      .split('\n')
      .filter((line) => line.startsWith('sparkify:'));

  it('no credentials', async () => {
    const result = await infra(['up'], { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' });
    expect(result.status).toBe(1);
    expect(oneLine(result.stderr)).toEqual([expect.stringMatching(/^sparkify: No AWS credentials: run "aws configure"/)]);
  });

  it('access denied names the action', async () => {
    server.failNext(
      'CreateRole',
      'AccessDenied',
      'User: arn:aws:iam::123456789012:user/tester is not authorized to perform: iam:CreateRole',
      403,
    );
    const result = await infra(['up']);
    expect(result.status).toBe(1);
    expect(oneLine(result.stderr)).toEqual([
      expect.stringMatching(/^sparkify: Access denied on iam:CreateRole for IAM role sparkify-redshift-s3-read/),
    ]);
  });

  it('quota exceeded', async () => {
    server.failNext('CreateCluster', 'ClusterQuotaExceeded', 'The request would exceed the allowed number of clusters for this account.');
    const result = await infra(['up']);
    expect(result.status).toBe(1);
    expect(oneLine(result.stderr)).toEqual([
      expect.stringMatching(/^sparkify: Quota exceeded on redshift:CreateCluster for cluster sparkify-dwh/),
    ]);
  });

  it('a node type AWS no longer sells', async () => {
    const result = await infra(['up', '--node-type', 'dc2.large']);
    expect(result.status).toBe(2);
    expect(oneLine(result.stderr)).toEqual([
      expect.stringMatching(/^sparkify: Node type not offered \(Invalid node type: dc2.large\).*ra3.large/),
    ]);
  });

  it('a cluster in a state that forbids deleting it', async () => {
    expect((await infra(['up'])).status).toBe(0);
    server.state.clusters.get('sparkify-dwh')!.status = 'modifying';
    const result = await infra(['down', '--yes']);
    expect(result.status).toBe(1);
    expect(oneLine(result.stderr)).toEqual([
      expect.stringMatching(/^sparkify: cluster sparkify-dwh is in a state that forbids redshift:DeleteCluster/),
    ]);
    expect(server.state.clusters.has('sparkify-dwh')).toBe(true);
  });

  it('the classic [AWS] KEY and SECRET are used, with a warning', async () => {
    writeFileSync(join(cwd, 'dwh.cfg'), '[AWS]\nKEY=AKIAFROMCONFIGFILE00\nSECRET=from-the-file\n');
    const result = await infra(['status'], { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toContain('[AWS] KEY and SECRET are used');
    expect(result.stderr).not.toContain('from-the-file');
  });
});
