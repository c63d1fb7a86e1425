/**
 * What a Redshift user reads when something fails: connections (checked for real against a closed port and
 * the test PostgreSQL server, which speaks the same protocol), TLS settings, and COPY failures (built from
 * the error texts Redshift sends, since S3 access cannot be exercised without a cluster).
 */
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { WarehouseError } from '../../src/errors.js';
import type { ServerTarget } from '../../src/warehouses/warehouse-target.js';
import { copyError, isLoadDataFailure, redshiftConnectError } from '../../src/warehouses/redshift/redshift-errors.js';
import { openRedshiftWarehouse, RedshiftWarehouse } from '../../src/warehouses/redshift/redshift-warehouse.js';
import { freeLoopbackPort } from '../support/postgres-server.js';
import { testPostgresUrl } from '../support/test-warehouses.js';

const SERVER = {
  host: 'dwh.c1a2b3c4d5e6.us-west-2.redshift.amazonaws.com',
  port: 5439,
  user: 'dwhuser',
  database: 'dwh',
  password: 'Sup3r-Secret-Pw',
};
const COPY = {
  table: 'staging_events',
  source: 's3://udacity-dend/log_data/',
  iamRole: 'arn:aws:iam::123456789012:role/dwhRole',
  region: 'us-east-1',
};

/** An error as pg reports a Redshift failure: message, SQLSTATE, and Redshift's detail block. */
function driverError(message: string, fields: { code?: string; detail?: string } = {}): Error {
  return Object.assign(new Error(message), fields);
}

/** Exposes the client settings a Redshift warehouse would connect with, without connecting. */
class SettingsProbe extends RedshiftWarehouse {
  settings(): pg.ClientConfig {
    return this.clientConfig();
  }
}

const probe = (url: string) => new SettingsProbe({ kind: 'redshift', url } satisfies ServerTarget).settings();

describe('Redshift connection settings', () => {
  it('verifies the certificate by default, and uses port 5439 when the URL names none', () => {
    const config = probe('redshift://dwhuser:p%40ss@dwh.c1a2b3c4d5e6.us-west-2.redshift.amazonaws.com/dwh');
    expect(config.ssl).toEqual({ rejectUnauthorized: true });
    expect(config.connectionString).toBe('redshift://dwhuser:p%40ss@dwh.c1a2b3c4d5e6.us-west-2.redshift.amazonaws.com:5439/dwh');
  });

  it('follows sslmode as libpq does, and keeps it out of the URL pg reads', () => {
    expect(probe('redshift://u:p@127.0.0.1:5439/dev?sslmode=require').ssl).toEqual({ rejectUnauthorized: false });
    expect(probe('redshift://u:p@h:5439/dev?sslmode=verify-full').ssl).toEqual({ rejectUnauthorized: true });
    const plain = probe('redshift://u:p@h:5439/dev?sslmode=disable&schema=dev');
    expect(plain.ssl).toBe(false);
    expect(plain.connectionString).toBe('redshift://u:p@h:5439/dev');
    expect(() => probe('redshift://u:p@h:5439/dev?sslmode=sometimes')).toThrow(/sslmode=sometimes .* expected one of disable/);
  });
});

describe('Redshift connection failures', () => {
  it('names the security group, public accessibility and routing when the cluster does not answer', async () => {
    const port = await freeLoopbackPort();
    const failure = openRedshiftWarehouse({ kind: 'redshift', url: `redshift://dwhuser:pw@127.0.0.1:${port}/dwh` });
    await expect(failure).rejects.toThrow(WarehouseError);
    await expect(failure).rejects.toThrow(
      new RegExp(
        `^Cannot connect to Redshift at 127\\.0\\.0\\.1:${port}: .*inbound rule for TCP port ${port}.*publicly accessible.*internet gateway`,
      ),
    );
  });

  it('says when a host name does not resolve', () => {
    const error = redshiftConnectError(Object.assign(new Error('getaddrinfo ENOTFOUND x'), { code: 'ENOTFOUND' }), SERVER);
    expect(error.message).toMatch(/host "dwh\..*" not found .*HOST in dwh\.cfg's \[CLUSTER\]/);
  });

  it('points at DB_USER and DB_PASSWORD on a refused login, never printing the password', () => {
    const error = redshiftConnectError(
      new WarehouseError('Authentication failed', {
        cause: driverError(`password authentication failed for user "dwhuser" (${SERVER.password})`, { code: '28P01' }),
      }),
      SERVER,
    );
    expect(error.message).toMatch(/^Authentication failed for user "dwhuser" at dwh\..*:5439: .*Check DB_USER and DB_PASSWORD/);
    expect(error.message).not.toContain(SERVER.password);
  });

  it.skipIf(!testPostgresUrl())('reports a wrong password for real (against the test PostgreSQL server, same protocol)', async () => {
    const url = new URL(testPostgresUrl()!);
    url.protocol = 'redshift:';
    url.password = 'not-the-password';
    url.searchParams.set('sslmode', 'disable');
    await expect(openRedshiftWarehouse({ kind: 'redshift', url: url.toString() })).rejects.toThrow(
      /^Authentication failed for user "postgres" at 127\.0\.0\.1:\d+: .*DB_PASSWORD/,
    );
  });

  it.skipIf(!testPostgresUrl())('says when the server offers no TLS, which a Redshift endpoint always does', async () => {
    const url = new URL(testPostgresUrl()!);
    url.protocol = 'redshift:';
    await expect(openRedshiftWarehouse({ kind: 'redshift', url: url.toString() })).rejects.toThrow(/does not offer TLS.*sslmode=disable/);
  });
});

describe('Redshift COPY failures', () => {
  it('says which role may not read which bucket on Access Denied', () => {
    const error = copyError(
      driverError('S3ServiceException:Access Denied,Status 403,Error AccessDenied,Rid 1,ExtRid 2,CanRetry 1', { code: 'XX000' }),
      COPY,
      SERVER,
    );
    expect(error.message).toMatch(
      /^COPY into staging_events from s3:\/\/udacity-dend\/log_data\/ failed: IAM role arn:aws:iam::123456789012:role\/dwhRole may not read bucket "udacity-dend"/,
    );
    expect(error.message).toContain('AmazonS3ReadOnlyAccess');
  });

  it('says when the cluster may not assume the role', () => {
    const error = copyError(
      driverError(
        'User arn:aws:redshift:us-west-2:123456789012:dbuser:dwh/dwhuser is not authorized to assume IAM Role arn:aws:iam::123456789012:role/dwhRole',
      ),
      COPY,
      SERVER,
    );
    expect(error.message).toMatch(/may not assume IAM role arn:aws:iam::123456789012:role\/dwhRole\. Associate the role with the cluster/);
  });

  it('says to set REGION when the bucket is elsewhere', () => {
    const error = copyError(
      driverError(
        'S3ServiceException:The bucket you are attempting to access must be addressed using the specified endpoint.,Status 301,Error PermanentRedirect',
      ),
      COPY,
      SERVER,
    );
    expect(error.message).toMatch(/bucket "udacity-dend" is in another region: COPY named region us-east-1, set .*REGION/);
  });

  it('tells load-data failures (read back into load_errors) from the others', () => {
    expect(
      isLoadDataFailure(driverError("Load into table 'staging_events' failed.  Check 'stl_load_errors' system table for details.")),
    ).toBe(true);
    expect(
      isLoadDataFailure(
        new WarehouseError('wrapped', {
          cause: driverError("Load into table 'staging_songs' failed. Check 'sys_load_error_detail' system table for details."),
        }),
      ),
    ).toBe(true);
    expect(isLoadDataFailure(driverError('S3ServiceException:Access Denied,Status 403'))).toBe(false);
  });
});
