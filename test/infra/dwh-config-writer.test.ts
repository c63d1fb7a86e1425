/**
 * The dwh.cfg line editor of `sparkify infra up`: only the keys it sets change, every other byte stays, and
 * the reader reads what it wrote.
 */
import { chmodSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDwhSections } from '../../src/config/configparser-reader.js';
import { editDwhConfig, writeDwhConfig } from '../../src/infra/dwh-config-writer.js';
import { parseWarehouseTarget } from '../../src/warehouses/warehouse-target.js';
import { tempFolder } from '../support/test-warehouses.js';

describe('editDwhConfig', () => {
  it('replaces a value in place, keeping the key spelling, spacing and quotes, and removes its continuation lines', () => {
    const text = "\uFEFF[cluster]\nhost : 'old'\n    continued\nDB_NAME=dwh ; not a comment in configparser\n[S3]\nX=1";
    expect(editDwhConfig(text, [{ section: 'CLUSTER', key: 'HOST', value: 'new.example.com' }])).toBe(
      "\uFEFF[cluster]\nhost : 'new.example.com'\nDB_NAME=dwh ; not a comment in configparser\n[S3]\nX=1",
    );
  });

  it('adds a missing key after the last key of its section, before trailing comments and blank lines', () => {
    const text = '[CLUSTER]\nHOST=h\n\n# about S3\n[S3]\nLOG_DATA=s3://b/l\n';
    expect(editDwhConfig(text, [{ section: 'CLUSTER', key: 'DB_PORT', value: '5439' }])).toBe(
      '[CLUSTER]\nHOST=h\nDB_PORT=5439\n\n# about S3\n[S3]\nLOG_DATA=s3://b/l\n',
    );
  });

  it('removes a key only when its value matches onlyReplacing', () => {
    const text = "[SPARKIFY]\nWAREHOUSE='redshift-data://cluster/c/dwh'\nSCHEMA=dev\n";
    const edit = { section: 'SPARKIFY', key: 'WAREHOUSE', onlyReplacing: /^redshift-data:/ };
    expect(editDwhConfig(text, [edit])).toBe('[SPARKIFY]\nSCHEMA=dev\n');
    const own = '[SPARKIFY]\nWAREHOUSE=duckdb:mine.duckdb\n';
    expect(editDwhConfig(own, [edit])).toBe(own);
  });

  it('refuses a value of two lines', () => {
    expect(() => editDwhConfig('', [{ section: 'CLUSTER', key: 'HOST', value: 'a\nb' }])).toThrow(
      /\[CLUSTER\] HOST: a value must be one line/,
    );
  });
});

describe('writeDwhConfig', () => {
  it('creates a private file the reader understands, leaves an unchanged file untouched, and keeps a file mode', () => {
    const path = join(tempFolder('sparkify-cfg-'), 'dwh.cfg');
    const edits = [
      { section: 'CLUSTER', key: 'HOST', value: 'c.abc.us-west-2.redshift.amazonaws.com' },
      { section: 'SPARKIFY', key: 'WAREHOUSE', value: 'redshift-data://cluster/c/dwh?db_user=dwhuser' },
    ];
    expect(writeDwhConfig(path, edits)).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const warehouse = readDwhSections(path).get('SPARKIFY', 'WAREHOUSE')?.value ?? '';
    expect(parseWarehouseTarget(warehouse, 'test')).toEqual({
      kind: 'redshift-data',
      cluster: 'c',
      database: 'dwh',
      dbUser: 'dwhuser',
      secretArn: undefined,
      region: undefined,
      schema: undefined,
    });
    const before = statSync(path).mtimeMs;
    expect(writeDwhConfig(path, edits)).toBe(false);
    expect(statSync(path).mtimeMs).toBe(before);
    writeFileSync(path, '[CLUSTER]\nHOST=x\n');
    chmodSync(path, 0o640);
    expect(writeDwhConfig(path, edits.slice(0, 1))).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o640);
  });
});

describe('redshift-data:// warehouse URLs', () => {
  it('name a cluster or a workgroup, a database and options', () => {
    expect(parseWarehouseTarget('redshift-data://workgroup/wg/dev?region=us-west-2&schema=prod', 'flag')).toMatchObject({
      kind: 'redshift-data',
      workgroup: 'wg',
      database: 'dev',
      region: 'us-west-2',
      schema: 'prod',
    });
    expect(parseWarehouseTarget('redshift-data://mycluster/dwh', 'flag')).toMatchObject({ cluster: 'mycluster', database: 'dwh' });
  });

  it('say what is wrong with a bad one', () => {
    expect(() => parseWarehouseTarget('redshift-data://cluster/c', '--warehouse')).toThrow(
      /--warehouse: "redshift-data:\/\/cluster\/c" names no cluster or workgroup and database/,
    );
    expect(() => parseWarehouseTarget('redshift-data://c/dwh?password=x', '--warehouse')).toThrow(/unknown parameter "password"/);
    expect(() => parseWarehouseTarget('redshift-data://workgroup/w/dwh?db_user=u', '--warehouse')).toThrow(/db_user applies to a cluster/);
  });
});
