/**
 * What the readers produce: every record keeps where it came from, so a reject can always be traced back
 * to its file (or S3 object) and line.
 */

/** A value as it goes into a staging column. */
export type StagingValue = string | number | null;

/** One staging row, in the column order of its table's spec. */
export type StagingRow = StagingValue[];

/** Where a record came from: the file path or `s3://bucket/key`, and the 1-based line it starts on. */
export interface RecordOrigin {
  readonly file: string;
  readonly line: number;
}

/** The raw text of one record, before it is parsed. */
export interface RawRecord extends RecordOrigin {
  readonly text: string;
  /** Set when the text could not even be delimited as a record (for example an unterminated object). */
  readonly structuralError?: string;
}

/** A record that was not staged, with the reason. Becomes a row of `load_errors`. */
export interface RejectedRecord extends RecordOrigin {
  readonly raw: string;
  readonly error: string;
}

/** The outcome of parsing and type-checking one raw record. */
export type ParsedRecord = { readonly row: StagingRow } | { readonly reject: RejectedRecord };
