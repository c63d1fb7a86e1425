/**
 * Which values count as placeholders: the template's and tutorials' words are caught, and real values,
 * passwords above all (they may hold #, ;, < and spaces), are not.
 */
import { describe, expect, it } from 'vitest';
import { placeholderKind, type ValueKind } from '../../src/config/dwh-placeholders.js';

const CAUGHT: readonly [string, ValueKind, string][] = [
  ['<ENDPOINT>', 'host', 'a placeholder'],
  ['YOUR CLUSTER ENDPOINT', 'host', 'a placeholder'],
  ['your-cluster.abc.us-west-2.redshift.amazonaws.com', 'host', 'a placeholder'],
  ['redshift-cluster.IDENTIFICATION_CODE.us-west-2.redshift.amazonaws.com', 'host', 'a placeholder'],
  ['CLUSTER_ENDPOINT', 'host', 'a placeholder'],
  ['ENDPOINT', 'host', 'a placeholder'],
  ['dwhcluster.xxxxxxxx.us-west-2.redshift.amazonaws.com', 'host', 'a masked value'],
  ['#ENTER VALUE BEFORE RUNNING', 'host', 'a comment'],
  ['; fill in', 'name', 'a comment'],
  ['...', 'name', 'a placeholder'],
  ['None', 'host', 'a placeholder'],
  ['cluster endpoint here', 'host', 'free text'],
  ['<password>', 'secret', 'a placeholder'],
  ['***', 'secret', 'a masked value'],
  ['xxxxxx', 'secret', 'a masked value'],
  ['YOUR_PASSWORD', 'secret', 'a placeholder'],
  ['yourpassword', 'secret', 'a placeholder'],
  ['# enter the password', 'secret', 'a comment'],
  ['enter your password', 'secret', 'free text'],
  ['arn:aws:iam::XXXXXXXXXXXX:role/dwhRole', 'arn', 'a masked value'],
  ['arn:aws:iam::<ACCOUNT_ID>:role/dwhRole', 'arn', 'a placeholder'],
  ['s3://<YOUR_BUCKET_NAME>/song_data', 'location', 'a placeholder'],
  ['path to songs data on s3', 'location', 'free text'],
  ['us-west-<N>', 'region', 'a placeholder'],
];

const REAL: readonly [string, ValueKind][] = [
  ['dwhcluster.c1a2b3c4d5e6.us-west-2.redshift.amazonaws.com', 'host'],
  ['localhost', 'host'],
  ['LOCALHOST', 'host'],
  ['db', 'host'],
  ['10.0.0.5', 'host'],
  ['Ab#12;x', 'secret'],
  ['#Secret1', 'secret'],
  ['p<a>ss', 'secret'],
  ['correct horse battery staple', 'secret'],
  ['Passw0rd', 'secret'],
  ['dwhuser', 'name'],
  ['arn:aws:iam::123456789012:role/dwhRole', 'arn'],
  ['s3://udacity-dend/song_data', 'location'],
  ['/home/me/My Data/song_data', 'location'],
  ['us-west-2', 'region'],
];

describe('placeholderKind', () => {
  for (const [value, kind, expected] of CAUGHT) {
    it(`takes ${kind} '${value}' for ${expected}`, () => {
      expect(placeholderKind(value, kind)).toBe(expected);
    });
  }
  for (const [value, kind] of REAL) {
    it(`takes ${kind} '${value}' for a real value`, () => {
      expect(placeholderKind(value, kind)).toBeUndefined();
    });
  }
});
