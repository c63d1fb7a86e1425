/**
 * Redshift through the Data API, as the registry knows it: `redshift-data://cluster/<id>/<db>?db_user=...`
 * or `redshift-data://workgroup/<name>/<db>`; takes what the Redshift warehouse takes (`--schema`, the IAM
 * role, the bucket's region, the JSONPaths file). It sends the very statements a connection would, so its
 * planner is Redshift's; the AWS SDK loads only when a warehouse is opened.
 */
import { redshiftPlanner, redshiftWarehouse } from '../redshift/redshift-descriptor.js';
import type { WarehouseDescriptor } from '../warehouse-descriptor.js';
import { dataApiUrl, parseDataApiTarget, type DataApiTarget } from './data-api-target.js';

/** The Data API descriptor; see the module comment. */
export const redshiftDataWarehouse: WarehouseDescriptor<DataApiTarget> = {
  kind: 'redshift-data',
  title: 'Redshift (Data API)',
  schemes: ['redshift-data'],
  example: 'redshift-data://...',
  settings: redshiftWarehouse.settings,
  parse: parseDataApiTarget,
  describe: dataApiUrl,
  // IAM credentials, never in the URL: nothing to mask.
  secrets: () => [],
  async open(target, options) {
    const { openDataApiWarehouse } = await import('./data-api-warehouse.js');
    return openDataApiWarehouse(target, options);
  },
  // Redshift's planner reads nothing of the target but the settings (redshift-copy-sql.ts's redshiftPlacement).
  planner: redshiftPlanner,
};
