/**
 * The PostgreSQL pieces that need no server: how `--warehouse` values become targets and pg settings, and
 * the CSV text COPY receives.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, WarehouseError } from '../../src/errors.js';
import type { StagingRow } from '../../src/records/record-types.js';
import { LOAD_ERRORS, STAGING_EVENTS } from '../../src/schema/staging-tables.js';
import type { TableSpec } from '../../src/schema/table-spec.js';
import { CopyRowEncoder, copyFromStdinSql } from '../../src/warehouses/postgres/postgres-copy-format.js';
import { postgresClientConfig, withoutParameter } from '../../src/warehouses/postgres/postgres-connection.js';
import { PostgresDialect } from '../../src/warehouses/postgres/postgres-dialect.js';
import { describeTarget, parseWarehouseTarget, type ServerTarget } from '../../src/warehouses/warehouse-target.js';

describe('postgres warehouse targets', () => {
  it('reads postgres:// and postgresql:// URLs with an optional schema', () => {
    expect(parseWarehouseTarget('postgres://me:pw@db.example:5433/dwh?schema=dev', 'flag')).toEqual({
      kind: 'postgres',
      url: 'postgres://me:pw@db.example:5433/dwh?schema=dev',
      schema: 'dev',
    });
    expect(parseWarehouseTarget('postgresql://me@db/dwh', 'flag')).toMatchObject({ kind: 'postgres', schema: undefined });
  });

  it('takes bare postgres: and postgres:// to mean the server of the PG* variables', () => {
    for (const value of ['postgres:', 'postgres://', 'postgresql:', 'postgresql://', 'POSTGRES:']) {
      expect(parseWarehouseTarget(value, 'SPARKIFY_WAREHOUSE')).toEqual({ kind: 'postgres', url: undefined, schema: undefined });
    }
    expect(parseWarehouseTarget('postgres:?schema=dev', 'flag')).toEqual({ kind: 'postgres', url: undefined, schema: 'dev' });
    // Other parameters stay for pg, which fills host, user and database from the variables.
    expect(parseWarehouseTarget('postgres://?sslmode=require&schema=dev', 'flag')).toEqual({
      kind: 'postgres',
      url: 'postgres://?sslmode=require',
      schema: 'dev',
    });
    expect(describeTarget({ kind: 'postgres' })).toBe('postgres (from PG* environment variables)');
  });

  it("names the schema the tables go to: --schema replaces the URL's, with the password still masked", async () => {
    const { loadSettings } = await import('../../src/config/settings.js');
    const settings = loadSettings({
      env: {},
      cwd: '/',
      options: { warehouse: 'postgres://u:se@cret@h:5/db?schema=urlschema&sslmode=require', schema: 'flagschema' },
    });
    expect(describeTarget(settings.warehouse)).toBe('postgres://u:***@h:5/db?schema=flagschema&sslmode=require');
    expect(describeTarget({ kind: 'postgres', schema: 'analytics' } as ServerTarget)).toBe(
      'postgres (from PG* environment variables)?schema=analytics',
    );
    expect(describeTarget(parseWarehouseTarget('postgres://u:pw@h/db', 'flag'))).toBe('postgres://u:***@h/db');
  });

  it('rejects a schema that is not a plain identifier, naming where it came from', () => {
    expect(() => parseWarehouseTarget('postgres:?schema=a-b', 'SPARKIFY_WAREHOUSE')).toThrow(ConfigError);
    expect(() => parseWarehouseTarget('postgres://h/db?schema=x;drop', '--warehouse')).toThrow(/^--warehouse: schema/);
  });

  it('hands pg the URL without schema, keeping sslmode and the encoded password as written', () => {
    const target = parseWarehouseTarget('postgres://me:p%40ss@h:5433/dwh?schema=dev&sslmode=disable', 'flag');
    expect(target.kind === 'postgres' && postgresClientConfig(target as ServerTarget, {}).connectionString).toBe(
      'postgres://me:p%40ss@h:5433/dwh?sslmode=disable',
    );
    expect(withoutParameter('postgres://h/db?schema=dev', 'schema')).toBe('postgres://h/db');
    expect(withoutParameter('postgres://h/db?a=1&schema=dev&b=2', 'schema')).toBe('postgres://h/db?a=1&b=2');
    expect(withoutParameter('postgres://h/db', 'schema')).toBe('postgres://h/db');
  });

  it('leaves a target without URL to pg, which reads PGHOST and friends, and honours PGCONNECT_TIMEOUT', () => {
    const config = postgresClientConfig({ kind: 'postgres' }, { PGCONNECT_TIMEOUT: '3' });
    expect(config.connectionString).toBeUndefined();
    expect(config.connectionTimeoutMillis).toBe(3000);
    expect(postgresClientConfig({ kind: 'postgres' }, {}).connectionTimeoutMillis).toBe(15_000);
  });
});

describe('postgres dialect', () => {
  const dialect = new PostgresDialect();

  it('maps logical types to PostgreSQL types', () => {
    const ddl = dialect.createTable(STAGING_EVENTS, { ifNotExists: false });
    expect(ddl).toContain('artist TEXT');
    expect(ddl).toContain('length DOUBLE PRECISION');
    expect(ddl).toContain('registration BIGINT');
    expect(ddl).toContain('session_id INTEGER');
  });

  it('breaks text ties by bytes whatever the database collation', () => {
    expect(dialect.byteOrder('source_file')).toBe('source_file COLLATE "C"');
  });
});

describe('COPY CSV text', () => {
  const TABLE: TableSpec = {
    name: 'sample',
    role: 'staging',
    columns: [
      { name: 'text_value', type: 'text' },
      { name: 'number_value', type: 'double' },
      { name: 'whole_value', type: 'bigint' },
      { name: 'source_file', type: 'text' },
      { name: 'line_number', type: 'integer' },
    ],
  };

  it('quotes every string, doubles quotes, and writes NULL as an empty unquoted field', () => {
    const rows: StagingRow[] = [
      ['plain', 1.5, 1541122176796, 'f.json', 1],
      ['say "hi", then\ttab\nnewline\r\\back\\slash', 0.1, null, 'f.json', 2],
      ['', null, 0, 'f.json', 3],
      [null, -2.5e-7, -1, 'f.json', 4],
      ['\\.', 1e21, 9007199254740991, 'f.json', 5],
    ];
    expect(new CopyRowEncoder(TABLE, 'reject').encode(rows).toString()).toBe(
      '"plain",1.5,1541122176796,"f.json",1\n' +
        '"say ""hi"", then\ttab\nnewline\r\\back\\slash",0.1,,"f.json",2\n' +
        '"",,0,"f.json",3\n' +
        ',-2.5e-7,-1,"f.json",4\n' +
        '"\\.",1e+21,9007199254740991,"f.json",5\n',
    );
    expect(new CopyRowEncoder(TABLE, 'reject').encode([]).length).toBe(0);
  });

  it('encodes non-ASCII text as UTF-8, quotes included, and grows past its buffer for long values', () => {
    const formatter = new CopyRowEncoder(TABLE, 'reject');
    const text = 'Bj\u00f6rk "\u6771\u4eac" \ud83c\udfb5 \u0019';
    expect(formatter.encode([[text, null, null, 'f.json', 1]]).toString('utf8')).toBe(
      '"Bj\u00f6rk ""\u6771\u4eac"" \ud83c\udfb5 \u0019",,,"f.json",1\n',
    );
    const long = `${'\u00e9"'.repeat(400_000)}end`;
    const rows: StagingRow[] = [
      ['x', 1, 1, 'f.json', 1],
      [long, 2, 2, 'f.json', 2],
      ['y', 3, 3, 'f.json', 3],
    ];
    expect(formatter.encode(rows).toString('utf8')).toBe(
      `"x",1,1,"f.json",1\n"${long.replaceAll('"', '""')}",2,2,"f.json",2\n"y",3,3,"f.json",3\n`,
    );
  });

  it('writes timestamps from epoch milliseconds as UTC ISO text', () => {
    const table: TableSpec = { name: 't', role: 'fact', columns: [{ name: 'at', type: 'timestamp' }] };
    expect(new CopyRowEncoder(table, 'reject').encode([[1542837407796]]).toString()).toBe('"2018-11-21T21:56:47.796Z"\n');
  });

  it('refuses a NUL in a staged value, naming the file and line; escapes it in load_errors', () => {
    const formatter = new CopyRowEncoder(TABLE, 'reject');
    expect(() =>
      formatter.encode([
        ['ok', 1, 1, 'a.json', 1],
        ['bad\u0000value', 1, 1, 'a.json', 7],
      ]),
    ).toThrow(WarehouseError);
    expect(() => formatter.encode([['bad\u0000value', 1, 1, 'a.json', 7]])).toThrow(
      /^Cannot load a\.json line 7 into sample: field text_value holds a NUL character/,
    );
    expect(() => formatter.encode([['caf\u00e9 \u0000', 1, 1, 'a.json', 8]])).toThrow(/a\.json line 8/);
    const errors = new CopyRowEncoder(LOAD_ERRORS, 'escape');
    expect(errors.encode([['a.json', 3, '{"x":\u0000\u0000', 'invalid JSON', 'events']]).toString()).toBe(
      '"a.json",3,"{""x"":\\u0000\\u0000","invalid JSON","events"\n',
    );
    expect(errors.encode([['a.json', 4, '\u00e9\u0000', 'invalid JSON', 'events']]).toString()).toBe(
      '"a.json",4,"\u00e9\\u0000","invalid JSON","events"\n',
    );
  });

  it('names the columns in table order in the COPY statement', () => {
    expect(copyFromStdinSql(TABLE, (name) => name)).toBe(
      'COPY sample (text_value, number_value, whole_value, source_file, line_number) FROM STDIN WITH (FORMAT csv)',
    );
  });
});
