/**
 * The PostgreSQL warehouse, as the registry knows it: `postgres://...`, `postgresql://...`, or `postgres:`
 * for the server of the PG* variables; takes `--schema`. `pg` loads only when a warehouse is opened.
 */
import type { TableSpec } from '../../schema/table-spec.js';
import { streamedStaging } from '../streamed-staging-plan.js';
import type { WarehouseDescriptor } from '../warehouse-descriptor.js';
import { describeServerTarget, parseServerTarget, serverTargetSecrets, type ServerTarget } from './postgres-target.js';

/** The PostgreSQL descriptor; see the module comment. */
export const postgresWarehouse: WarehouseDescriptor<ServerTarget> = {
  kind: 'postgres',
  title: 'PostgreSQL',
  schemes: ['postgres', 'postgresql'],
  example: 'postgres://...',
  settings: ['schema'],
  parse: (value, origin) => parseServerTarget(value, origin, 'postgres'),
  describe: describeServerTarget,
  secrets: serverTargetSecrets,
  async open(target, options) {
    const { openPostgresWarehouse } = await import('./postgres-warehouse.js');
    return openPostgresWarehouse(target, options);
  },
  async planner() {
    const [{ PostgresDialect }, { copyFromStdinSql }] = await Promise.all([
      import('./postgres-dialect.js'),
      import('./postgres-copy-format.js'),
    ]);
    const dialect = new PostgresDialect();
    return {
      dialect,
      staging: (settings, datasets) =>
        streamedStaging(settings, datasets, {
          load: (table: TableSpec) => copyFromStdinSql(table, (name) => dialect.quote(name)),
          errors: 'COPY FROM STDIN (CSV)',
          rows: (table) => `as CSV through this COPY into ${table.name}`,
        }),
    };
  },
};
