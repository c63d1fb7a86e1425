/**
 * A real S3-compatible HTTP server on loopback for tests: s3rver in a child process (with
 * `--openssl-legacy-provider`, which its listing needs under Node 20's OpenSSL 3), on a free 127.0.0.1 port,
 * storing into a temporary folder. Buckets are created and files uploaded with the AWS SDK, over HTTP.
 *
 * s3rver accepts any signature from its built-in key pair (S3RVER / S3RVER) and unsigned requests, and rejects
 * unknown access keys with a real 403 InvalidAccessKeyId.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { createInterface } from 'node:readline';
import { CreateBucketCommand, DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

/** The access key s3rver knows. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

/** A running server and the SDK client that fills it. */
export interface S3TestServer {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  readonly port: number;
  readonly client: S3Client;
  createBucket(name: string): Promise<void>;
  /** Uploads one object. */
  put(bucket: string, key: string, body: string | Buffer): Promise<void>;
  /** Uploads every file below `folder` as `prefix/<relative path>` (with `/` separators), a few at a time. */
  uploadFolder(bucket: string, folder: string, prefix?: string): Promise<number>;
  /** Uploads many objects a few at a time. */
  putMany(bucket: string, objects: Iterable<{ key: string; body: string | Buffer }>): Promise<number>;
  deleteObject(bucket: string, key: string): Promise<void>;
  /** Stops the server and removes its folder. */
  stop(): Promise<void>;
}

// The child: starts s3rver on an OS-chosen port, prints the address as one JSON line, and exits when its
// stdin closes, so a crashed test run never leaves a server behind.
const CHILD_SCRIPT = `
const S3rver = require(process.env.S3RVER_MODULE);
const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: process.env.S3RVER_DIRECTORY });
server.run().then(
  (address) => process.stdout.write(JSON.stringify(address) + '\\n'),
  (error) => { console.error(error); process.exit(1); },
);
process.stdin.on('data', () => {});
process.stdin.on('end', () => server.close(() => process.exit(0)));
`;

const UPLOAD_CONCURRENCY = 32;

/** Starts a server with `buckets` created. */
export async function startS3Server(buckets: readonly string[] = []): Promise<S3TestServer> {
  const directory = mkdtempSync(join(tmpdir(), 'sparkify-s3rver-'));
  const child = spawn(process.execPath, ['--openssl-legacy-provider', '-e', CHILD_SCRIPT], {
    env: { PATH: process.env.PATH, S3RVER_MODULE: createRequire(import.meta.url).resolve('s3rver'), S3RVER_DIRECTORY: directory },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const port = await readPort(child);
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: S3RVER_CREDENTIALS });

  const put = async (bucket: string, key: string, body: string | Buffer) => {
    // An explicit length: the SDK cannot infer it for an empty body and warns.
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentLength: Buffer.byteLength(body) }));
  };
  const putMany = async (bucket: string, objects: Iterable<{ key: string; body: string | Buffer }>) => {
    const queue = [...objects];
    let next = 0;
    const worker = async () => {
      while (next < queue.length) {
        const item = queue[next++]!;
        await put(bucket, item.key, item.body);
      }
    };
    await Promise.all(Array.from({ length: UPLOAD_CONCURRENCY }, worker));
    return queue.length;
  };

  const server: S3TestServer = {
    endpoint,
    port,
    client,
    createBucket: async (name) => {
      await client.send(new CreateBucketCommand({ Bucket: name }));
    },
    put,
    putMany,
    uploadFolder: (bucket, folder, prefix = '') =>
      putMany(
        bucket,
        filesBelow(folder).map((path) => ({
          key: `${prefix ? `${prefix.replace(/\/+$/, '')}/` : ''}${relative(folder, path).split(sep).join('/')}`,
          body: readFileSync(path),
        })),
      ),
    deleteObject: async (bucket, key) => {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },
    stop: async () => {
      client.destroy();
      const exited = new Promise<void>((resolve) => {
        if (child.exitCode !== null) resolve();
        else child.once('exit', () => resolve());
      });
      child.stdin?.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
      rmSync(directory, { recursive: true, force: true });
    },
  };
  for (const bucket of buckets) await server.createBucket(bucket);
  return server;
}

async function readPort(child: ChildProcess): Promise<number> {
  const lines = createInterface({ input: child.stdout! });
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`s3rver exited with code ${code} before listening`))),
  );
  const first = (async () => {
    for await (const line of lines) return (JSON.parse(line) as { port: number }).port;
    throw new Error('s3rver closed its output before listening');
  })();
  // The exit watch outlives a successful start; its later rejection is not an error.
  exited.catch(() => undefined);
  return Promise.race([first, exited]);
}

function filesBelow(folder: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(folder).sort()) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) files.push(...filesBelow(path));
    else files.push(path);
  }
  return files;
}
