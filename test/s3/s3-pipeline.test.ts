/**
 * The whole pipeline reading from a real S3-compatible server on loopback (s3rver), compared row by row with
 * the same files loaded from disk: credentials and endpoint through the standard AWS variables, the classic
 * dwh.cfg [S3] keys, anonymous reads, and server errors absorbed by retries (pagination: s3-location.test.ts).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/pipeline/run.js';
import type { ProgressEvent } from '../../src/pipeline/progress.js';
import { startS3Server, type S3TestServer } from '../support/s3-server.js';
import { snapshotLoadErrors, snapshotStar } from '../support/star-snapshot.js';
import { tempFolder, testWarehouses } from '../support/test-warehouses.js';
import { serverEnv, useAwsEnv } from './aws-test-env.js';
import { everyThirdGetFails, startFaultProxy } from './fault-proxy.js';

const FIXTURE = fileURLToPath(new URL('./fixture/', import.meta.url));
const SAMPLE = resolve(fileURLToPath(new URL('../../../shared/data/sparkify-sample/', import.meta.url)));
const HERMETIC = { env: {}, cwd: tempFolder('sparkify-s3-cwd-') };

let server: S3TestServer;
let restoreEnv: (() => void) | undefined;

beforeAll(async () => {
  restoreEnv = useAwsEnv();
  server = await startS3Server(['fixture']);
  await server.uploadFolder('fixture', FIXTURE);
});

afterAll(async () => {
  await server?.stop();
  restoreEnv?.();
});

afterEach(() => {
  useAwsEnv();
});

for (const warehouse of testWarehouses()) {
  describe(`S3 source into ${warehouse.name}`, () => {
    let fromDisk: StarSnapshot;

    beforeAll(async () => {
      const target = warehouse.fresh();
      await run({ ...HERMETIC, options: { source: FIXTURE, warehouse: target, maxErrors: 10 } });
      fromDisk = await starSnapshot(target, `${resolve(FIXTURE)}/`);
      expect(fromDisk.star.songplays).toHaveLength(4);
      expect(fromDisk.loadErrors).toHaveLength(3);
    });

    it('builds the same star schema from s3://bucket as from the same files on disk (credentials, endpoint, region from AWS_* variables)', async () => {
      useAwsEnv(serverEnv(server.endpoint));
      const target = warehouse.fresh();
      const events: ProgressEvent[] = [];
      const summary = await run({
        ...HERMETIC,
        options: { source: 's3://fixture', warehouse: target, maxErrors: 10 },
        onProgress: (event) => events.push(event),
      });

      expect(await starSnapshot(target, 's3://fixture/')).toEqual(fromDisk);
      expect(summary.songs).toMatchObject({ location: 's3://fixture/song_data/', filesRead: 3, skippedFiles: 1 });
      expect(summary.events).toMatchObject({ location: 's3://fixture/log_data/', filesRead: 2 });
      // Bytes come from the listing and reach the progress listener.
      const songBytes = events.filter((event) => event.stage === 'stage-songs').at(-1)!;
      expect(songBytes.bytes).toBeGreaterThan(500);
      expect(summary.songs.bytes).toBe(songBytes.bytes);
    });

    it('reads the classic dwh.cfg [S3] SONG_DATA / LOG_DATA keys', async () => {
      useAwsEnv(serverEnv(server.endpoint));
      const config = join(tempFolder(), 'dwh.cfg');
      writeFileSync(
        config,
        "[S3]\nLOG_DATA='s3://fixture/log_data'\nLOG_JSONPATH='s3://fixture/log_json_path.json'\nSONG_DATA='s3://fixture/song_data'\n",
      );
      const target = warehouse.fresh();
      await run({ ...HERMETIC, configFile: config, options: { warehouse: target, maxErrors: 10 } });
      expect(await starSnapshot(target, 's3://fixture/')).toEqual(fromDisk);
    });
  });
}

// Behaviours of the source itself, whatever the warehouse: checked once, on DuckDB.
describe('S3 source behaviours', () => {
  let fromDisk: StarSnapshot;
  const warehouse = testWarehouses().find((candidate) => candidate.name === 'duckdb') ?? testWarehouses()[0]!;

  beforeAll(async () => {
    const target = warehouse.fresh();
    await run({ ...HERMETIC, options: { source: FIXTURE, warehouse: target, maxErrors: 10 } });
    fromDisk = await starSnapshot(target, `${resolve(FIXTURE)}/`);
  });

  it('reads anonymously with --no-sign-request and --s3-endpoint: no credential is looked up, no request is signed', async () => {
    // A profile that does not exist: resolving credentials at all would fail the run.
    useAwsEnv({ AWS_PROFILE: 'no-such-profile', AWS_REGION: 'us-east-1' });
    const authorizations: (string | undefined)[] = [];
    const proxy = await startFaultProxy(server.endpoint, (request) => {
      authorizations.push(request.headers.authorization);
      return undefined;
    });
    try {
      const target = warehouse.fresh();
      await run({
        ...HERMETIC,
        options: { source: 's3://fixture', warehouse: target, maxErrors: 10, s3Endpoint: proxy.endpoint, noSignRequest: true },
      });
      expect(await starSnapshot(target, 's3://fixture/')).toEqual(fromDisk);
      expect(authorizations.length).toBeGreaterThan(5);
      expect(authorizations.every((header) => header === undefined)).toBe(true);
    } finally {
      await proxy.close();
    }
  });

  it('absorbs 503 SlowDown and 500 InternalError on every 3rd GET with the SDK retries', async () => {
    const proxy = await startFaultProxy(server.endpoint, everyThirdGetFails());
    useAwsEnv(serverEnv(proxy.endpoint));
    try {
      const target = warehouse.fresh();
      await run({ ...HERMETIC, options: { source: 's3://fixture', warehouse: target, maxErrors: 10 } });
      expect(await starSnapshot(target, 's3://fixture/')).toEqual(fromDisk);
      expect(proxy.stats.answered).toBeGreaterThanOrEqual(3);
    } finally {
      await proxy.close();
    }
  });
});

describe.skipIf(!existsSync(SAMPLE))(
  'the public Sparkify sample from S3 (skipped: ../shared/data/sparkify-sample is absent in a fresh clone)',
  () => {
    it('gives the reference figures and the same star schema as from disk', async () => {
      await server.createBucket('udacity-dend');
      await server.uploadFolder('udacity-dend', SAMPLE);
      const fromDisk = testWarehouses()[0]!.fresh();
      await run({ ...HERMETIC, options: { source: SAMPLE, warehouse: fromDisk } });

      useAwsEnv(serverEnv(server.endpoint, 'us-west-2'));
      const fromS3 = testWarehouses()[0]!.fresh();
      const summary = await run({ ...HERMETIC, options: { source: 's3://udacity-dend', warehouse: fromS3 } });
      expect(summary.tables).toMatchObject({ songplays: 6820, users: 96, songs: 71, artists: 69, time: 6813 });
      expect(summary.events.staged).toBe(8056);
      expect(await starSnapshot(fromS3, 's3://udacity-dend/')).toEqual(await starSnapshot(fromDisk, `${SAMPLE}/`));
    });
  },
);

/** Star tables and load_errors of `warehouse`, with `sourcePrefix` cut from each load_errors.source_file. */
type StarSnapshot = Awaited<ReturnType<typeof starSnapshot>>;
async function starSnapshot(warehouse: string, sourcePrefix: string) {
  const loadErrors = (await snapshotLoadErrors(warehouse)).map((row) => {
    const file = String(row.source_file);
    // A local load cites /tmp/x/log_data/..., an S3 load s3://bucket/log_data/...: the rest must be equal.
    expect(file.startsWith(sourcePrefix), `${file} starts with ${sourcePrefix}`).toBe(true);
    return { ...row, source_file: file.slice(sourcePrefix.length) };
  });
  return { star: await snapshotStar(warehouse), loadErrors };
}
