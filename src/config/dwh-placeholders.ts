/**
 * Recognises the values people leave in a dwh.cfg instead of real ones: template placeholders
 * (`<ENDPOINT>`, `YOUR CLUSTER ENDPOINT`, `redshift-cluster.IDENTIFICATION_CODE...`), masked values (`***`,
 * `xxx`), comments written where the value goes (`#ENTER VALUE BEFORE RUNNING`) and free text (`path to
 * songs data on s3`), so a run says which key to fill in instead of connecting to `<ENDPOINT>`.
 */

/** What a value is for, which decides what counts as a placeholder in it. */
export type ValueKind = 'host' | 'name' | 'secret' | 'port' | 'arn' | 'location' | 'region';

/** Why a value is not a real one, as the message says it: "holds <what> '<value>'". */
export type PlaceholderKind = 'a placeholder' | 'a masked value' | 'a comment' | 'free text';

const PLACEHOLDER_WORD = /^(todo|tbd|changeme|change_me|replace_me|none|null|n\/a)$/i;
const ELLIPSIS = /\.\.\.|\u2026/;

/** The kind of placeholder `value` (quotes removed, trimmed, not empty) is, or undefined for a real value. */
export function placeholderKind(value: string, kind: ValueKind): PlaceholderKind | undefined {
  return kind === 'secret' ? secretPlaceholder(value) : plainPlaceholder(value, kind);
}

// A password may hold almost anything (#, ;, <, spaces on PostgreSQL): only whole-value patterns count.
function secretPlaceholder(value: string): PlaceholderKind | undefined {
  if (/^[#;]/.test(value) && /\s/.test(value)) return 'a comment';
  if (/^(\*{3,}|x{3,}|\.{3,}|\u2026)$/i.test(value)) return 'a masked value';
  if (/^<[^<>]+>$/.test(value) || /^your([\s_-]|pass|pwd)/i.test(value) || PLACEHOLDER_WORD.test(value)) return 'a placeholder';
  if (/\s/.test(value) && /\b(enter|your|password|here|value)\b/i.test(value)) return 'free text';
  return undefined;
}

function plainPlaceholder(value: string, kind: ValueKind): PlaceholderKind | undefined {
  if (/^[#;]/.test(value)) return 'a comment';
  if (/<[^<>]*>/.test(value) || /(^|[^a-z])your/i.test(value) || PLACEHOLDER_WORD.test(value) || ELLIPSIS.test(value)) {
    return 'a placeholder';
  }
  if (/\*{3,}|xxx/i.test(value)) return 'a masked value';
  // Host names have no underscores or spaces: IDENTIFICATION_CODE, CLUSTER_ENDPOINT are template words.
  if (kind === 'host' && (/_/.test(value) || (/^[A-Z]{4,}$/.test(value) && value !== 'LOCALHOST'))) return 'a placeholder';
  if (/\s/.test(value) && !(kind === 'location' && /[/\\]/.test(value))) return 'free text';
  return undefined;
}

/** What each kind of value should be, with an example, for the "set it to ..." part of a message. */
export const EXPECTED_VALUE: Readonly<Record<string, string>> = {
  host: "the cluster's endpoint, e.g. mycluster.abc123xyz.us-west-2.redshift.amazonaws.com (or leave it empty for the embedded DuckDB warehouse)",
  database: 'the database name, e.g. dwh',
  user: 'the database user, e.g. dwhuser',
  password: "the database user's password",
  port: 'the port number, e.g. 5439',
  iamRole: 'the ARN of the IAM role the cluster assumes, e.g. arn:aws:iam::123456789012:role/dwhRole',
  songData: "the song files' location, e.g. s3://udacity-dend/song_data",
  logData: "the log files' location, e.g. s3://udacity-dend/log_data",
  logJsonPath: 'the JSONPaths file, e.g. s3://udacity-dend/log_json_path.json',
  region: 'an AWS region, e.g. us-west-2',
};

/** The one-line message for a placeholder: `<origin> holds a placeholder '<ENDPOINT>': set it to ...`. */
export function placeholderMessage(origin: string, value: string, kind: PlaceholderKind, expected: string, secret = false): string {
  const shown = secret ? ' (not shown)' : ` '${value.length > 80 ? `${value.slice(0, 77)}...` : value}'`;
  const what = kind === 'a comment' ? `${kind}${shown} where the value goes` : `${kind}${shown}`;
  return `${origin} holds ${what}: set it to ${expected}`;
}
