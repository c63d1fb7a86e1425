/**
 * Property: the byte-level fast path (`JsonLineEncoder`) and the record parser agree on every input. The
 * fast path may decline a record (the parser then decides it), but whatever it accepts the parser accepts
 * too, with the very same row; and whatever the parser rejects, the fast path declines, so every reject and
 * its reason comes from the parser on every path. Runs: PROPERTY_RUNS (default 1000 per table).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FieldSpec } from '../../src/records/field-spec.js';
import { JsonLineEncoder } from '../../src/records/json-line-encoder.js';
import { copyJsonStringBytes } from '../../src/records/json-string-bytes.js';
import { parseRecord } from '../../src/records/record-parser.js';
import type { StagingRow, StagingValue } from '../../src/records/record-types.js';
import type { StagingRowSink } from '../../src/records/staging-row-sink.js';
import { decodeUtf8 } from '../../src/records/utf8-text.js';
import { EVENT_FIELDS, SONG_FIELDS } from '../../src/schema/staging-tables.js';
import { recordBytes } from '../support/record-arbitraries.js';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 1000);
const ORIGIN = Buffer.from('s3://bucket/log_data/2018/11/é.json');

/** A sink that keeps the values it is given as JavaScript values, as a warehouse would read them back. */
class RecordingSink implements StagingRowSink {
  rows: StagingValue[][] = [];
  private row: StagingValue[] = [];
  private scratch = Buffer.alloc(1 << 16);
  beginRow(): void {
    this.row = [];
  }
  rollbackRow(): void {
    this.row = [];
  }
  endRow(): void {
    this.rows.push(this.row);
  }
  null(i: number): void {
    this.row[i] = null;
  }
  integer(i: number, value: number): void {
    this.row[i] = value;
  }
  double(i: number, value: number): void {
    this.row[i] = value;
  }
  decimal(i: number, value: number): void {
    this.row[i] = value;
  }
  text(i: number, value: string): void {
    this.row[i] = value;
  }
  jsonText(i: number, b: Uint8Array, start: number, end: number, escaped: boolean): void {
    if (this.scratch.length < end - start) this.scratch = Buffer.alloc((end - start) * 2);
    const length = copyJsonStringBytes(b, start, end, escaped, this.scratch, 0, false);
    this.row[i] = this.scratch.toString('utf8', 0, length);
  }
  appendRow(row: StagingRow): void {
    this.rows.push(row);
  }
  flush(): void {}
  close(): void {}
}

// Warehouses store -0 as 0 (every load format writes it so).
const normalized = (row: readonly StagingValue[]) => row.map((value) => (value === 0 ? 0 : value));

function checkParity(fields: readonly FieldSpec[], name: string): void {
  const encoder = new JsonLineEncoder(fields);
  const tally = { accepted: 0, staged: 0, rejected: 0 };
  fc.assert(
    fc.property(recordBytes(fields), (bytes) => {
      const sink = new RecordingSink();
      // Padding around the record: the encoder must read only its range.
      const padded = Buffer.concat([Buffer.from('{"x'), bytes, Buffer.from('"}')]);
      const accepted = encoder.encode(padded, 3, 3 + bytes.length, sink, ORIGIN, 7);
      const parsed = parseRecord({ file: ORIGIN.toString('utf8'), line: 7, text: decodeUtf8(bytes) }, fields);
      if ('row' in parsed) tally.staged++;
      else tally.rejected++;
      if (!accepted) {
        expect(sink.rows).toEqual([]);
        return;
      }
      tally.accepted++;
      // What the fast path stages, the parser stages, with the same values.
      expect('row' in parsed ? normalized(parsed.row) : parsed.reject.error).toEqual(normalized(sink.rows[0]!));
    }),
    { numRuns: RUNS },
  );
  // The comparison means something only if both kinds of record were generated and the fast path took many.
  expect(tally.rejected, name).toBeGreaterThan(RUNS / 20);
  expect(tally.accepted, name).toBeGreaterThan(RUNS / 5);
}

describe('fast path and record parser (property)', () => {
  it('agree on every event record', () => checkParity(EVENT_FIELDS, 'events'));
  it('agree on every song record', () => checkParity(SONG_FIELDS, 'songs'));
});
