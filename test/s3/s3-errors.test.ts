/**
 * Each S3 failure a user can act on prints ONE clear line from `sparkify run`. The errors are real: real
 * HTTP answers from s3rver (missing bucket, unknown access key, missing key), from a closed loopback port,
 * or from the loopback proxy answering the way AWS does where s3rver cannot (AccessDenied, a bucket in
 * another region, SlowDown that outlasts the retries).
 */
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/cli.js';
import { SourceError } from '../../src/errors.js';
import { S3Location } from '../../src/sources/s3/s3-location.js';
import { startS3Server, type S3TestServer } from '../support/s3-server.js';
import { tempFolder, testWarehouses } from '../support/test-warehouses.js';
import { serverEnv, useAwsEnv } from './aws-test-env.js';
import { bucketInRegion, s3Error, startFaultProxy, type FaultProxy, type ProxyRule } from './fault-proxy.js';

const FIXTURE = fileURLToPath(new URL('./fixture/', import.meta.url));
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYTESTSECRET';

let server: S3TestServer;
let restoreEnv: (() => void) | undefined;
const proxies: FaultProxy[] = [];

beforeAll(async () => {
  restoreEnv = useAwsEnv();
  server = await startS3Server(['data']);
  await server.uploadFolder('data', FIXTURE);
});

afterAll(async () => {
  await server?.stop();
  restoreEnv?.();
});

afterEach(async () => {
  useAwsEnv();
  await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
});

/** Runs `sparkify run <args> --json` and returns its exit code and what it printed on stderr. */
async function sparkifyRun(...args: string[]): Promise<{ code: number; stderr: string }> {
  const config = join(tempFolder(), 'empty.cfg');
  writeFileSync(config, '');
  const warehouse = testWarehouses()[0]!.fresh();
  let stderr = '';
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const code = await main(['node', 'sparkify', 'run', '--json', '--config', config, '--warehouse', warehouse, ...args]);
    return { code, stderr };
  } finally {
    spy.mockRestore();
  }
}

/** Expects exactly one line on stderr, matching `pattern`, with no secret in it. */
async function expectOneLine(run: Promise<{ code: number; stderr: string }>, pattern: RegExp): Promise<string> {
  const { code, stderr } = await run;
  expect(code).toBe(1);
  expect(stderr.endsWith('\n')).toBe(true);
  expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(stderr).not.toContain(SECRET);
  expect(stderr).toMatch(pattern);
  return stderr;
}

async function proxy(rule: ProxyRule): Promise<FaultProxy> {
  const started = await startFaultProxy(server.endpoint, rule);
  proxies.push(started);
  return started;
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('S3 errors print one actionable line', () => {
  it('missing bucket', async () => {
    useAwsEnv(serverEnv(server.endpoint));
    await expectOneLine(
      sparkifyRun('--source', 's3://no-such-bucket'),
      /^sparkify: Bucket "no-such-bucket" does not exist at http:\/\/127\.0\.0\.1:\d+: check the bucket name in s3:\/\/no-such-bucket\n$/,
    );
  });

  it('a prefix with nothing under it', async () => {
    useAwsEnv(serverEnv(server.endpoint));
    await expectOneLine(
      sparkifyRun('--song-data', 's3://data/Song_Data', '--log-data', 's3://data/log_data'),
      /Nothing found under s3:\/\/data\/Song_Data\/: check the prefix/,
    );
  });

  it('credentials the server does not know (a real 403 InvalidAccessKeyId from s3rver)', async () => {
    useAwsEnv({ ...serverEnv(server.endpoint), AWS_ACCESS_KEY_ID: 'AKIANOTAREALKEY', AWS_SECRET_ACCESS_KEY: SECRET });
    await expectOneLine(
      sparkifyRun('--source', 's3://data'),
      /S3 at http:\/\/127\.0\.0\.1:\d+ rejected the AWS credentials \(InvalidAccessKeyId\) for s3:\/\/data\/song_data\/: check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or the profile in AWS_PROFILE\n$/,
    );
  });

  it('access denied on the listing (AccessDenied, as AWS answers it)', async () => {
    const denying = await proxy((request) =>
      request.method === 'GET' && request.url?.includes('list-type=2') ? s3Error(403, 'AccessDenied', 'Access Denied') : undefined,
    );
    useAwsEnv({ ...serverEnv(denying.endpoint), AWS_SECRET_ACCESS_KEY: SECRET });
    await expectOneLine(
      sparkifyRun('--source', 's3://data'),
      /Access denied \(AccessDenied\) listing s3:\/\/data\/song_data\/: the AWS credentials in use lack s3:ListBucket on bucket "data".*--no-sign-request/,
    );
  });

  it('access denied to an anonymous request: suggests credentials instead of --no-sign-request', async () => {
    // As S3 denies it: a bare 403 to the HEAD, an AccessDenied document to the listing.
    const denying = await proxy((request) => (request.method === 'HEAD' ? { status: 403 } : s3Error(403, 'AccessDenied', 'Access Denied')));
    useAwsEnv({ AWS_REGION: 'us-east-1' });
    await expectOneLine(
      sparkifyRun('--source', 's3://data', '--s3-endpoint', denying.endpoint, '--no-sign-request'),
      /^sparkify: Access denied \(AccessDenied\) listing s3:\/\/data\/song_data\/: the bucket does not allow anonymous access; drop --no-sign-request to use your AWS credentials\n$/,
    );
  });

  it('wrong region: names the region the bucket is in', async () => {
    const west = await proxy(bucketInRegion('us-west-2'));
    useAwsEnv(serverEnv(west.endpoint, 'us-east-1'));
    await expectOneLine(
      sparkifyRun('--source', 's3://data'),
      /^sparkify: Bucket "data" is in region us-west-2, not us-east-1 \(set by --region, AWS_REGION or the AWS profile\): give --region us-west-2\n$/,
    );
    await expectOneLine(sparkifyRun('--source', 's3://data', '--region', 'eu-central-1'), /is in region us-west-2, not eu-central-1/);
  });

  it('no credentials anywhere: suggests aws configure, AWS_PROFILE or --no-sign-request', async () => {
    useAwsEnv({ AWS_ENDPOINT_URL_S3: server.endpoint, AWS_REGION: 'us-east-1' });
    await expectOneLine(
      sparkifyRun('--source', 's3://data'),
      /^sparkify: No usable AWS credentials to read s3:\/\/data \(.+\): run "aws configure" or "aws sso login", set AWS_PROFILE or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or add --no-sign-request for a public bucket\n$/,
    );
  });

  it('endpoint unreachable (a closed loopback port), from AWS_ENDPOINT_URL_S3 or --s3-endpoint', async () => {
    const port = await closedPort();
    useAwsEnv(serverEnv(`http://127.0.0.1:${port}`));
    const line = new RegExp(
      `Cannot reach the S3 endpoint http://127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\) for s3://data: check the network, --s3-endpoint or AWS_ENDPOINT_URL_S3`,
    );
    await expectOneLine(sparkifyRun('--source', 's3://data'), line);
    useAwsEnv(serverEnv(server.endpoint));
    await expectOneLine(sparkifyRun('--source', 's3://data', '--s3-endpoint', `http://127.0.0.1:${port}`), line);
  });

  it('throttling that outlasts the retries (AWS_MAX_ATTEMPTS=2)', async () => {
    const slow = await proxy((request) =>
      request.method === 'GET' ? s3Error(503, 'SlowDown', 'Please reduce your request rate.') : undefined,
    );
    useAwsEnv({ ...serverEnv(slow.endpoint), AWS_MAX_ATTEMPTS: '2' });
    await expectOneLine(
      sparkifyRun('--source', 's3://data'),
      /S3 kept failing \(SlowDown, HTTP 503\) after 2 attempt\(s\) listing s3:\/\/data\/song_data\/: lower --s3-concurrency or raise AWS_MAX_ATTEMPTS/,
    );
    expect(slow.stats.answered).toBe(2);
  });

  it('expired credentials', async () => {
    const expired = await proxy((request) =>
      request.method === 'HEAD' ? undefined : s3Error(400, 'ExpiredToken', 'The provided token has expired.'),
    );
    useAwsEnv(serverEnv(expired.endpoint));
    await expectOneLine(
      sparkifyRun('--source', 's3://data'),
      /The AWS credentials have expired \(ExpiredToken\) reading s3:\/\/data\/song_data\/: refresh them/,
    );
  });
});

describe('an object that vanished between listing and reading', () => {
  it('names the key, whether read whole or streamed', async () => {
    useAwsEnv(serverEnv(server.endpoint));
    await server.put('data', 'vanishing/a.json', '{"a": 1}');
    await server.put('data', 'vanishing/b.json', '{"b": 2}');
    const location = await S3Location.open('s3://data/vanishing', { noSignRequest: false, concurrency: 4 });
    const objects = [];
    for await (const object of location.list()) objects.push(object);
    expect(objects.map((object) => object.uri)).toEqual(['s3://data/vanishing/a.json', 's3://data/vanishing/b.json']);

    await server.deleteObject('data', 'vanishing/a.json');
    await server.deleteObject('data', 'vanishing/b.json');
    const message =
      's3://data/vanishing/a.json vanished between listing and reading (NoSuchKey): it was deleted or renamed while the load ran; run the load again';
    const read = location.read(objects[0]!);
    await expect(read).rejects.toThrow(SourceError);
    await expect(read).rejects.toThrow(message);
    const streamed = (async () => {
      for await (const _ of location.stream(objects[0]!)) {
        // Nothing arrives: the GET itself fails.
      }
    })();
    await expect(streamed).rejects.toThrow(message);
    // The SDK's own error stays as the cause, for --verbose.
    const cause = await location.read(objects[1]!).then(
      () => undefined,
      (error: Error) => error.cause as Error,
    );
    expect(cause?.name).toBe('NoSuchKey');
  });
});
