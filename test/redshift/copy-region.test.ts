/**
 * The region Redshift's COPY names for the bucket, as `planRun` (and so a run) finds it: the configured
 * one, the known region of udacity-dend, or the bucket's own as S3 reports it (s3rver on loopback behind a
 * proxy that answers with `x-amz-bucket-region` as AWS does); never the cluster's. The plan says where the
 * region came from.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config/settings.js';
import { ConfigError } from '../../src/errors.js';
import { planRun, type PlannedStatement } from '../../src/pipeline/run-plan.js';
import { startS3Server, type S3TestServer } from '../support/s3-server.js';
import { tempFolder } from '../support/test-warehouses.js';
import { useAwsEnv } from '../s3/aws-test-env.js';
import { type FaultProxy, startFaultProxy } from '../s3/fault-proxy.js';

const EU_CLUSTER = 'dwhcluster.c1a2b3c4d5e6.eu-west-1.redshift.amazonaws.com';

let server: S3TestServer;
let proxy: FaultProxy;
let restoreEnv: (() => void) | undefined;

beforeAll(async () => {
  restoreEnv = useAwsEnv();
  server = await startS3Server(['central-songs', 'ohio-logs']);
  // S3 names each bucket's region in x-amz-bucket-region, to anonymous requests too.
  proxy = await startFaultProxy(server.endpoint, (request) => ({
    forward: true,
    addHeaders: { 'x-amz-bucket-region': request.url?.startsWith('/ohio-logs') ? 'us-east-2' : 'eu-central-1' },
  }));
});

afterAll(async () => {
  await proxy?.close();
  await server?.stop();
  restoreEnv?.();
});

/** A classic dwh.cfg for a cluster in eu-west-1, with the given [S3] section and sections after and before. */
function config(s3: string, more = '', before = ''): string {
  const path = join(tempFolder('sparkify-region-'), 'dwh.cfg');
  writeFileSync(
    path,
    `${before}[CLUSTER]\nHOST='${EU_CLUSTER}'\nDB_NAME='dwh'\nDB_USER='dwhuser'\nDB_PASSWORD='Passw0rd'\nDB_PORT='5439'\n\n` +
      `[IAM_ROLE]\nARN='arn:aws:iam::123456789012:role/dwhRole'\n\n[S3]\n${s3}\n${more}`,
  );
  return path;
}

const UDACITY =
  "LOG_DATA='s3://udacity-dend/log_data'\nLOG_JSONPATH='s3://udacity-dend/log_json_path.json'\nSONG_DATA='s3://udacity-dend/song_data'";
const CENTRAL =
  'LOG_DATA=s3://central-songs/log_data\nLOG_JSONPATH=s3://central-songs/log_json_path.json\nSONG_DATA=s3://central-songs/song_data';

async function firstCopy(configFile: string): Promise<PlannedStatement> {
  const plan = await planRun(loadSettings({ configFile, env: {}, cwd: '/' }));
  return plan.find((step) => step.sql?.startsWith('COPY '))!;
}

describe('the region of COPY', () => {
  it("names udacity-dend's us-west-2 for a cluster in eu-west-1, without asking S3", async () => {
    const copy = await firstCopy(config(UDACITY));
    expect(copy.sql).toContain("\nREGION 'us-west-2'\n");
    expect(copy.comment).toContain("REGION 'us-west-2' is where udacity-dend is (the classic public bucket, known without asking S3).");
  });

  it('takes [S3] REGION (or S3_REGION, BUCKET_REGION) first, and names the key in the plan', async () => {
    const path = config(`REGION='ap-south-1'\n${UDACITY}`);
    const copy = await firstCopy(path);
    expect(copy.sql).toContain("\nREGION 'ap-south-1'\n");
    expect(copy.comment).toContain(`REGION 'ap-south-1' is set by ${path} [S3] REGION.`);
  });

  it('never takes a general region key ([AWS] REGION, [DEFAULT] REGION, DWH_REGION) for the bucket', async () => {
    const path = config(UDACITY, '[AWS]\nREGION=eu-west-1\n[DWH]\nDWH_REGION=eu-west-1\n', '[DEFAULT]\nREGION=eu-west-1\n');
    expect((await firstCopy(path)).sql).toContain("\nREGION 'us-west-2'\n");
  });

  it("asks S3 for another bucket's region and says so in the plan", async () => {
    const copy = await firstCopy(config(CENTRAL, `[SPARKIFY]\nS3_ENDPOINT=${proxy.endpoint}\n`));
    expect(copy.sql).toContain("\nREGION 'eu-central-1'\n");
    expect(copy.comment).toContain("REGION 'eu-central-1' is where S3 says bucket central-songs is.");
  });

  it("names no region, and says why, when S3 cannot be reached (COPY then assumes the cluster's)", async () => {
    const closed = await startFaultProxy(server.endpoint, () => undefined);
    await closed.close();
    const copy = await firstCopy(config(CENTRAL, `[SPARKIFY]\nS3_ENDPOINT=${closed.endpoint}\n`));
    expect(copy.sql).not.toContain('REGION');
    expect(copy.comment).toContain("No REGION: the bucket's region is not set ([S3] REGION, --region) and S3 did not say it");
  });

  it('refuses song and log buckets in different regions, which one COPY region cannot serve', async () => {
    const split =
      'LOG_DATA=s3://ohio-logs/log_data\nLOG_JSONPATH=s3://ohio-logs/log_json_path.json\nSONG_DATA=s3://central-songs/song_data';
    const settings = loadSettings({ configFile: config(split, `[SPARKIFY]\nS3_ENDPOINT=${proxy.endpoint}\n`), env: {}, cwd: '/' });
    await expect(planRun(settings)).rejects.toThrow(ConfigError);
    await expect(planRun(settings)).rejects.toThrow(
      "The song data's bucket central-songs is in eu-central-1 and the log data's ohio-logs in us-east-2: one COPY region cannot serve both",
    );
  });
});
