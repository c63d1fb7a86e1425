/**
 * The dashboard's HTTP rules, through the real server on loopback and a real DuckDB warehouse: its own
 * Host only (DNS rebinding), GET only, filters checked, a Content-Security-Policy that forbids fetching,
 * and a `sparkify run` on the same DuckDB file that proceeds while the dashboard answers.
 */
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { hostname, networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config/settings.js';
import { dashboard, type RunningDashboard } from '../../src/dashboard/dashboard-server.js';
import { run } from '../../src/pipeline/run.js';
import { tempFolder } from '../support/test-warehouses.js';

const TINY = new URL('../fixtures/tiny', import.meta.url).pathname;
const BIN = new URL('../../bin/sparkify.js', import.meta.url).pathname;

/** A raw HTTP request to the dashboard, with any Host header and method. */
function send(url: string, options: { host?: string; method?: string; path?: string } = {}) {
  const target = new URL(url);
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: options.path ?? '/',
        method: options.method ?? 'GET',
        headers: { host: options.host ?? target.host },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('the dashboard over DuckDB', () => {
  let running: RunningDashboard;
  let warehouse: string;

  beforeAll(async () => {
    warehouse = `duckdb:${tempFolder()}/dashboard.duckdb`;
    await run({ options: { source: TINY, warehouse }, env: {}, cwd: TINY });
    // Patient, so a slow shared machine never turns a fresh read into the busy page here; the test with a
    // load running meanwhile starts an impatient one of its own.
    running = await dashboard({ settings: loadSettings({ options: { warehouse }, env: {} }), port: 0, patienceMs: 30_000 });
  });
  afterAll(async () => {
    await running?.close();
  });

  it('listens on loopback and answers its own Host names with the report and its filter form', async () => {
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const port = new URL(running.url).port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`]) {
      const page = await send(running.url, { host });
      expect(page.status, host).toBe(200);
      expect(page.body).toContain('<form method="get" action="/"');
      expect(page.body).toMatch(/data-testid="plays">6</);
    }
  });

  it('refuses a foreign Host header (DNS rebinding), even for a loopback connection', async () => {
    const port = new URL(running.url).port;
    for (const host of [`evil.example:${port}`, 'localhost', `127.0.0.1:${Number(port) + 1}`]) {
      const page = await send(running.url, { host });
      expect(page.status, host).toBe(403);
      expect(page.body).not.toContain('songplays');
    }
  });

  it('on --host 0.0.0.0 answers the machine by its addresses and name, and still refuses a foreign Host', async () => {
    const open = await dashboard({
      settings: loadSettings({ options: { warehouse }, env: {} }),
      host: '0.0.0.0',
      port: 0,
      patienceMs: 30_000,
    });
    try {
      const port = new URL(open.url).port;
      const address = Object.values(networkInterfaces())
        .flat()
        .find((entry) => entry?.family === 'IPv4' && !entry.internal)?.address;
      const own = [`127.0.0.1:${port}`, `localhost:${port}`, `${hostname()}:${port}`, ...(address ? [`${address}:${port}`] : [])];
      for (const host of own) {
        const page = await send(`http://127.0.0.1:${port}/`, { host });
        expect(page.status, host).toBe(200);
        expect(page.body).toMatch(/data-testid="plays">6</);
      }
      const foreign = await send(`http://127.0.0.1:${port}/`, { host: `evil.example:${port}` });
      expect(foreign.status).toBe(403);
    } finally {
      await open.close();
    }
  });

  it('serves GET only', async () => {
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const page = await send(running.url, { method });
      expect(page.status, method).toBe(405);
      expect(page.headers.allow).toBe('GET, HEAD');
    }
  });

  it('sends a policy that forbids fetching anything, and no caching', async () => {
    const page = await send(running.url);
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['cache-control']).toBe('no-store');
  });

  it('filters with bound values and refuses bad or unknown filters with one clear line', async () => {
    const paid = await send(running.url, { path: '/?level=paid' });
    expect(paid.body).toMatch(/data-testid="plays">1</);
    const bad = await send(running.url, { path: '/?level=gold' });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('Bad filter level');
    const sql = await send(running.url, { path: '/?sql=DROP%20TABLE%20songplays' });
    expect(sql.status).toBe(400);
    expect(sql.body).toContain('Unknown filter sql');
    const twice = await send(running.url, { path: '/?level=free&level=paid' });
    expect(twice.status).toBe(400);
    expect(twice.body).toContain('Filter level is given 2 times: give it once');
  });

  it('lets `sparkify run` write the same DuckDB file meanwhile, and never answers with an error', async () => {
    const impatient = await dashboard({ settings: loadSettings({ options: { warehouse }, env: {} }), port: 0, patienceMs: 500 });
    const child = spawn(process.execPath, [BIN, 'run', '--source', TINY, '--warehouse', warehouse], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    let done = false;
    void exited.then(() => {
      done = true;
    });
    const statuses: number[] = [];
    const bodies: string[] = [];
    while (!done) {
      const page = await send(impatient.url, { path: '/?gender=F' });
      statuses.push(page.status);
      bodies.push(page.body);
    }
    await impatient.close();
    expect(await exited, stderr).toBe(0);
    expect(statuses.length).toBeGreaterThan(0);
    expect(new Set(statuses)).toEqual(new Set([200]));
    // Every page shows figures: fresh ones, or the last good ones with a notice; never an error page.
    for (const body of bodies) expect(body).toMatch(/data-testid="plays">6<|No figures to show yet/);
    const after = await send(running.url);
    expect(after.body).toMatch(/data-testid="plays">6</);
  }, 120_000);
});

describe('the dashboard before any run', () => {
  it('says there are no figures yet and why, in one sentence, and keeps trying', async () => {
    const missing = `${tempFolder()}/none.duckdb`;
    const early = await dashboard({ settings: loadSettings({ options: { warehouse: `duckdb:${missing}` }, env: {} }), port: 0 });
    try {
      const page = await send(early.url);
      expect(page.status).toBe(200);
      expect(page.body).toContain('<title>No figures to show yet</title>');
      expect(page.body).toContain(
        `Could not read fresh figures: No DuckDB warehouse at ${missing}: run \`sparkify run\` first to build it. This page`,
      );
      expect(page.body).toContain('<meta http-equiv="refresh" content="3">');
    } finally {
      await early.close();
    }
  });
});
