/**
 * `sparkify dashboard [--port 8080] [--host 127.0.0.1] [--open]`: the report's views with filters, served
 * locally until interrupted.
 */
import { Command } from 'commander';
import { ConfigError } from '../../errors.js';
import { settingsFromOptions, withWarehouseOptions } from '../common-options.js';

/** The `dashboard` verb. */
export function dashboardCommand(): Command {
  return withWarehouseOptions(
    new Command('dashboard')
      .description('serve a local dashboard over the warehouse: the report with filters (read-only, GET only, loopback by default)')
      .option('--port <n>', 'port to listen on (default: 8080)')
      .option('--host <address>', 'address to listen on (default: 127.0.0.1, this machine only)')
      .option('--open', 'open the dashboard in the default browser'),
  ).action(async (options: Record<string, unknown>) => {
    const port = options.port === undefined ? 8080 : Number(options.port);
    if (!/^\d+$/.test(String(options.port ?? '8080')) || port > 65_535) {
      throw new ConfigError(`Bad --port ${String(options.port)}: expected a port number 0-65535`);
    }
    // Loaded when used, like the report's charts.
    const { dashboard } = await import('../../dashboard/dashboard-server.js');
    const running = await dashboard({
      settings: settingsFromOptions(options),
      port,
      host: typeof options.host === 'string' ? options.host : undefined,
    });
    process.stdout.write(`Dashboard at ${running.url} (Ctrl-C to stop)\n`);
    if (options.open === true) {
      const { default: open } = await import('open');
      await open(running.url).catch(() => process.stderr.write(`Could not open a browser; visit ${running.url}\n`));
    }
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        void running.close().finally(resolve);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
  });
}
