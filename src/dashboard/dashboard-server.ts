/**
 * `dashboard`: serves the dashboard app on a local address (loopback by default) until closed.
 */
import { hostname, networkInterfaces } from 'node:os';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { loadSettings, type LoadSettingsInput, type Settings } from '../config/settings.js';
import { ConfigError, SparkifyError } from '../errors.js';
import { createDashboardApp } from './dashboard-app.js';
import { createReportReader } from './report-reader.js';

/** Options of `dashboard`. */
export interface DashboardOptions extends LoadSettingsInput {
  readonly settings?: Settings;
  /** The address to listen on (default 127.0.0.1: only this machine can connect). */
  readonly host?: string;
  /** The port (default 8080; 0 picks a free one). */
  readonly port?: number;
  /** How long a request waits for fresh figures during a load before showing the last good ones (ms). */
  readonly patienceMs?: number;
}

/** A running dashboard. */
export interface RunningDashboard {
  /** Where to open it: http://127.0.0.1:8080/ */
  readonly url: string;
  /** The Host header values it answers to. */
  readonly allowedHosts: ReadonlySet<string>;
  /** Stops listening and waits for open connections to end. */
  close(): Promise<void>;
}

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];
// Listening on these is listening on every address of the machine.
const WILDCARD_HOSTS = new Set(['0.0.0.0', '::']);

/**
 * Starts the dashboard over the warehouse the settings name.
 *
 * @example
 * const dashboard = await dashboard({ port: 0 });
 * console.log(dashboard.url);
 * await dashboard.close();
 */
export async function dashboard(options: DashboardOptions = {}): Promise<RunningDashboard> {
  const settings = options.settings ?? loadSettings(options);
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 8080;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new ConfigError(`Bad --port ${port}: expected a port number 0-65535`);
  const allowed = new Set<string>();
  const app = createDashboardApp({
    reader: createReportReader({ settings, patienceMs: options.patienceMs }),
    allowedHosts: () => allowed,
  });
  const server = await listen(app.fetch, host, port);
  const actualPort = (server.address() as AddressInfo).port;
  const names = reachableNames(host);
  for (const name of names) allowed.add(`${name}:${actualPort}`.toLowerCase());
  return {
    url: `http://${hostForUrl(host)}:${actualPort}/`,
    allowedHosts: allowed,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        if ('closeAllConnections' in server) server.closeAllConnections();
      }),
  };
}

function listen(fetch: Parameters<typeof serve>[0]['fetch'], hostname: string, port: number): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, hostname, port }, () => resolve(server));
    server.once('error', (error: NodeJS.ErrnoException) => {
      const why = error.code === 'EADDRINUSE' ? 'the port is in use (choose another with --port)' : error.message;
      reject(new SparkifyError(`Failed to listen on ${hostname}:${port}: ${why}`, { cause: error }));
    });
  });
}

/**
 * The names this server is reached by: the address it listens on, the loopback names when it listens on
 * loopback, and on every address (`0.0.0.0`, `::`) the machine's own addresses and host name as well.
 * Anything else in a Host header is a page elsewhere reaching in (DNS rebinding): a rebinding page's Host
 * is the attacker's domain name, never one of these.
 */
function reachableNames(host: string): Set<string> {
  const names = new Set([hostForUrl(host), ...(isLoopback(host) || WILDCARD_HOSTS.has(host) ? LOOPBACK_NAMES : [])]);
  if (WILDCARD_HOSTS.has(host)) {
    names.add(hostname());
    for (const address of Object.values(networkInterfaces()).flat()) {
      if (address) names.add(hostForUrl(address.address));
    }
  }
  return names;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
