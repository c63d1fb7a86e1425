/**
 * Passwords are masked whole in every printed URL, whatever characters they hold (issue 14: `plan
 * --warehouse 'postgres://u:se@cret@127.0.0.1:1/db'` printed `u:***@cret@127.0.0.1`).
 */
import { describe, expect, it } from 'vitest';
import { parseWarehouseTarget, redactUrl } from '../../src/warehouses/warehouse-target.js';

describe('redactUrl', () => {
  const cases: [string, string][] = [
    ['postgres://u:se@cret@127.0.0.1:1/db', 'postgres://u:***@127.0.0.1:1/db'],
    ['postgres://u:a/b@host/db', 'postgres://u:***@host/db'],
    ['postgres://u:a:b@host:5/db?schema=x', 'postgres://u:***@host:5/db?schema=x'],
    ['postgres://u:x?y@h/db', 'postgres://u:***@h/db'],
    ['postgres://u:pa#ss@h/db', 'postgres://u:***@h/db'],
    ['redshift://user:p%40ss@h.example:5439/dwh', 'redshift://user:***@h.example:5439/dwh'],
    ['postgres://u:pw@h', 'postgres://u:***@h'],
    ['postgres://h/db?password=hunter2&sslmode=require', 'postgres://h/db?password=***&sslmode=require'],
    ['postgres://u@h/db', 'postgres://u@h/db'],
    ['postgres://h/db?application_name=me@home', 'postgres://h/db?application_name=me@home'],
    // Typos that leave no parsable host: the password is masked all the same.
    ['postgres:/u:Zq9Secret@h/db', 'postgres:/u:***@h/db'],
    ['postgres:u:Zq9Secret@h/db', 'postgres:u:***@h/db'],
    ['redshift:/u:Zq9Secret@h:5439/dwh', 'redshift:/u:***@h:5439/dwh'],
    ['postgresql:///rev:Zq9Secret@127.0.0.1/postgres', 'postgresql:///rev:***@127.0.0.1/postgres'],
    ['duckdb:/data/me@home.duckdb', 'duckdb:/data/me@home.duckdb'],
    // A password with `@` then `?`: WHATWG takes `se` for the password and `cr` for the host.
    ['postgres://u:se@cr?et@h/db', 'postgres://u:***@h/db'],
  ];
  for (const [url, expected] of cases) {
    it(`masks ${url}`, () => {
      const shown = redactUrl(url);
      expect(shown).toBe(expected);
    });
  }

  it('never shows any part of a password holding @, : and /', () => {
    for (const secret of ['se@cret', 'a:b/c@d', 'p/a:s@s/w@rd', 'x?y#z@w', 'se@cr?et', 'a@b#c', 'q@r/s?t']) {
      const shown = redactUrl(`postgres://etl:${secret}@db.internal:5432/dwh`);
      for (const part of secret.split(/[@:/?#]/).filter((p) => p.length > 0)) {
        expect(shown.replace('postgres://etl:***@db.internal:5432/dwh', '')).not.toContain(part);
      }
      expect(shown).toBe('postgres://etl:***@db.internal:5432/dwh');
    }
  });

  it('refuses a mistyped URL holding a password (no host, no //, an unknown scheme) and never prints the password', () => {
    for (const value of [
      'postgresql:///rev:Zq9Secret@127.0.0.1/postgres',
      'postgres:/u:Zq9Secret@h/db',
      'redshift-data:/u:Zq9Secret@wg/db',
      'postgress://u:Zq9Secret@h/db',
      'postgresql:///u:Zq9Secret%40h/%zz',
    ]) {
      let message = '';
      try {
        parseWarehouseTarget(value, '--warehouse');
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(
        /^--warehouse: ("?[a-z-]+:\/+(rev|u):\*\*\*@|the postgresql: URL has no host, and its database part holds an "@")/,
      );
      expect(message).not.toContain('Zq9Secret');
    }
  });
});
