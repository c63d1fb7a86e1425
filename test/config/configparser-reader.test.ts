/**
 * The reader gives what Python's configparser gives, point by point: each case states the expected values,
 * and where python3 exists the same text is also read by configparser itself and compared.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDwhSections, unquoted } from '../../src/config/configparser-reader.js';
import { ConfigError } from '../../src/errors.js';
import { tempFolder } from '../support/test-warehouses.js';
import { type ParsedConfig, parsedByPython, parsedByUs, pythonUnavailable } from './python-configparser.js';

/** A config text and what configparser makes of it (sections by name, keys lowercased), or that it fails. */
interface SemanticsCase {
  readonly name: string;
  readonly text: string;
  readonly expected: ParsedConfig;
}

const sections = (values: Record<string, Record<string, string | null>>): ParsedConfig => ({ sections: { DEFAULT: {}, ...values } });

const CASES: readonly SemanticsCase[] = [
  {
    name: 'keeps ; and # inside values (no inline comments)',
    text: '[CLUSTER]\nDB_PASSWORD=Ab#12;x\nHOST = h ; not a comment # nor this\n',
    expected: sections({ CLUSTER: { db_password: 'Ab#12;x', host: 'h ; not a comment # nor this' } }),
  },
  {
    name: 'takes ; and # as comments only at the start of a line, indented or not',
    text: '# top\n; top\n[S]\n  # indented\n\t; tab\nK=v\n',
    expected: sections({ S: { k: 'v' } }),
  },
  {
    name: 'reads key = value and key: value, split at the first = or :',
    text: '[S]\nA = 1\nB: 2\nC = x:y=z\nD: x=y\nE=\n',
    expected: sections({ S: { a: '1', b: '2', c: 'x:y=z', d: 'x=y', e: '' } }),
  },
  {
    name: 'lowercases keys, and keeps section names as written',
    text: '[Cluster]\nHOST=x\nDb_Name=y\n',
    expected: sections({ Cluster: { host: 'x', db_name: 'y' } }),
  },
  {
    name: 'joins continuation lines with newlines, keeping blank lines inside and dropping trailing ones',
    text: '[S]\nK = first\n  second\n\n\tthird\n\nJ = next\n  # a comment inside is dropped\n  more\n\n',
    expected: sections({ S: { k: 'first\nsecond\n\nthird', j: 'next\nmore' } }),
  },
  {
    name: 'gives every section the keys of [DEFAULT], its own winning',
    text: '[DEFAULT]\nPORT=5439\nUSER=u\n[A]\nUSER=a\n[B]\n',
    expected: { sections: { DEFAULT: { port: '5439', user: 'u' }, A: { user: 'a', port: '5439' }, B: { port: '5439', user: 'u' } } },
  },
  {
    name: 'keeps quotes as written',
    text: `[S]\nA='x'\nB="y"\nC='unbalanced\nD=it's\n`,
    expected: sections({ S: { a: "'x'", b: '"y"', c: "'unbalanced", d: "it's" } }),
  },
  {
    name: 'interpolates %(key)s and %% on get, from the section and DEFAULT',
    text: '[DEFAULT]\nBUCKET=s3://b\n[S3]\nDIR=log\nLOG=%(bucket)s/%(DIR)s\nPCT=50%%\n',
    expected: { sections: { DEFAULT: { bucket: 's3://b' }, S3: { dir: 'log', log: 's3://b/log', pct: '50%', bucket: 's3://b' } } },
  },
  {
    name: 'fails get for a lone %, a bad reference and a missing key, but not the other keys',
    text: '[S]\nA=50%off\nB=%(missing)s\nC=%(x\nD=fine\n',
    expected: sections({ S: { a: null, b: null, c: null, d: 'fine' } }),
  },
  {
    name: 'strips whitespace around keys and values, and reads CRLF and CR line ends',
    text: '[S]\r\n  K  =  v  \r\nJ=w\rL=\t x \t\n',
    expected: sections({ S: { k: 'v', j: 'w', l: 'x' } }),
  },
  {
    name: 'reads a header with text after it, and a repeated [DEFAULT]',
    text: '[S] trailing\nK=v\n[DEFAULT]\nA=1\n[DEFAULT]\nB=2\n',
    expected: { sections: { DEFAULT: { a: '1', b: '2' }, S: { k: 'v', a: '1', b: '2' } } },
  },
  { name: 'refuses a repeated key', text: '[S]\nK=1\nk=2\n', expected: { error: true } },
  { name: 'refuses a repeated section', text: '[S]\nK=1\n[S]\nJ=2\n', expected: { error: true } },
  { name: 'refuses a key before any section', text: 'K=1\n[S]\n', expected: { error: true } },
  { name: 'refuses a line that is no key, section or continuation', text: '[S]\nK=1\nnonsense\n', expected: { error: true } },
  { name: 'refuses an indented line right after a header', text: '[S]\n  K=1\n  nonsense\n', expected: { error: true } },
];

describe('configparser semantics', () => {
  for (const { name, text, expected } of CASES) {
    it(name, () => {
      expect(parsedByUs(text, 'case.cfg')).toEqual(expected);
    });
  }

  const missing = pythonUnavailable();
  if (missing) console.warn(`configparser comparison SKIPPED: ${missing}`);
  describe.skipIf(missing !== undefined)(`the same cases read by Python's configparser${missing ? ` (SKIPPED: ${missing})` : ''}`, () => {
    it('gives exactly what our reader gives, case by case', () => {
      const folder = tempFolder('sparkify-configparser-');
      const paths = CASES.map((testCase, i) => {
        const path = join(folder, `case-${i}.cfg`);
        writeFileSync(path, testCase.text);
        return path;
      });
      const python = parsedByPython(paths);
      CASES.forEach((testCase, i) => {
        expect(python[paths[i]!], testCase.name).toEqual(testCase.expected);
      });
    });
  });

  it('names the file, the line and the key in its errors, never a value', () => {
    const attempt = (text: string) => () => parseDwhSections(text, '/p/dwh.cfg');
    expect(attempt('[S]\nK=1\nk=secret\n')).toThrow(new ConfigError('/p/dwh.cfg line 3: [S] k is set again (first at line 2); keep one'));
    expect(attempt('[S]\n[S]\n')).toThrow('/p/dwh.cfg line 2: section [S] repeats the one at line 1; merge them');
    expect(attempt('DB_PASSWORD=secret\n')).toThrow(
      '/p/dwh.cfg line 1: "DB_PASSWORD=..." comes before any [section] header; start the file with one, such as [CLUSTER]',
    );
    expect(attempt('[S]\nK=1\nnonsense\n')).toThrow(/line 3: "nonsense" is neither a \[section\]/);
    const lone = parseDwhSections('[CLUSTER]\nDB_PASSWORD=50%off\n', '/p/dwh.cfg');
    expect(() => lone.get('CLUSTER', 'db_password')).toThrow(
      "/p/dwh.cfg line 2: [CLUSTER] DB_PASSWORD: '%' must be followed by '%' or '(' as in Python's configparser; write %% for a literal %",
    );
    expect(() => lone.get('CLUSTER', 'db_password')).not.toThrow(/50%off/);
  });

  it('finds sections whatever their case, the exact spelling first, and tells DEFAULT values from own ones', () => {
    const parsed = parseDwhSections('\uFEFF[DEFAULT]\nPORT=1\n[cluster]\nHOST=a\n[CLUSTER]\nHOST=b\n', 'x.cfg');
    expect(parsed.get('CLUSTER', 'host')?.value).toBe('b');
    expect(parsed.get('Cluster', 'HOST')?.value).toBe('a');
    expect(parsed.get('CLUSTER', 'PORT')).toEqual({ value: '1', section: 'DEFAULT', key: 'PORT', line: 2 });
    expect(parsed.own('CLUSTER', 'PORT')).toBeUndefined();
    expect(parsed.get('NOWHERE', 'PORT')).toBeUndefined();
    expect(parsed.sections()).toEqual(['cluster', 'CLUSTER']);
  });

  it("removes the template's quotes after reading, as the product always has", () => {
    expect(unquoted(" 'x' ")).toBe('x');
    expect(unquoted('"y"')).toBe('y');
    expect(unquoted("'unbalanced")).toBe("'unbalanced");
    expect(unquoted("''")).toBe('');
  });
});
