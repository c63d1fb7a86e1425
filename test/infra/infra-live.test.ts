/**
 * The live test: `sparkify infra up` on real AWS, a run from the public bucket over the Data API, a query,
 * then `sparkify infra down`, which must leave nothing behind. It costs money (a single ra3.large node for
 * the 10-20 minutes it takes, about $0.20) and runs only when SPARKIFY_LIVE_AWS=1, with credentials from the
 * usual chain (AWS_PROFILE, ...). Region: SPARKIFY_LIVE_AWS_REGION, default us-west-2 (the bucket's).
 * Teardown runs even when a step fails.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliResult } from '../cli/run-cli.js';
import { tempFolder } from '../support/test-warehouses.js';
import { spawnSparkify } from './infra-test-support.js';

const LIVE = process.env.SPARKIFY_LIVE_AWS === '1';
const REGION = process.env.SPARKIFY_LIVE_AWS_REGION ?? 'us-west-2';
const NAME = `sparkify-live-${randomBytes(3).toString('hex')}`;
const cwd = tempFolder('sparkify-live-aws-');

function sparkify(args: readonly string[]): Promise<CliResult> {
  return spawnSparkify(args, cwd, { ...process.env, SPARKIFY_INFRA_POLL_SECONDS: '20' }, { echoStderr: true });
}

const identity = ['--region', REGION, '--cluster-identifier', NAME, '--iam-role-name', NAME];

describe.skipIf(!LIVE)(
  LIVE ? 'sparkify infra on real AWS' : 'sparkify infra on real AWS (SKIPPED: set SPARKIFY_LIVE_AWS=1 to run it; it costs about $0.20)',
  () => {
    afterAll(async () => {
      const down = await sparkify(['infra', 'down', '--yes', ...identity]);
      expect(down.status, down.stderr).toBe(0);
      const status = JSON.parse((await sparkify(['infra', 'status', '--json', ...identity])).stdout);
      expect(status).toMatchObject({ ingress: [], costPerHour: 0 });
      expect(status.cluster ?? status.role ?? status.workgroup).toBeUndefined();
    }, 60 * 60_000);

    it('up, run over the Data API, query, and (afterwards) down', { timeout: 60 * 60_000 }, async () => {
      const up = await sparkify(['infra', 'up', ...identity, '--cluster-type', 'single-node', '--num-nodes', '1']);
      expect(up.status, up.stderr).toBe(0);
      expect(up.stdout).toContain(`redshift-data://cluster/${NAME}/dwh`);
      const run = await sparkify([
        'run',
        '--json',
        '--song-data',
        's3://udacity-dend/song_data/A/A/A',
        '--log-data',
        's3://udacity-dend/log_data',
        '--log-jsonpath',
        's3://udacity-dend/log_json_path.json',
        '--region',
        'us-west-2',
      ]);
      expect(run.status, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout).events.staged).toBeGreaterThan(8000);
      const plays = await sparkify(['query', '--json', 'select count(*) as plays from songplays']);
      expect(JSON.parse(plays.stdout)[0].plays).toBeGreaterThan(6000);
    });
  },
);
