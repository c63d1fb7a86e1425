/**
 * The two wire formats the AWS SDK clients speak, as a server writes them: the Query protocol (a form-encoded
 * POST answered with XML: IAM, Redshift, STS; EC2's dialect of it) and JSON 1.1 (`X-Amz-Target`: Redshift
 * Serverless, the Data API). Only what the loopback server needs.
 */

/** An AWS error as a handler throws it: the code the SDK maps to its error class, and the HTTP status. */
export class AwsFault extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** A value to write as XML: text, a nested element map, or a list written as repeated `member` elements. */
export type XmlValue = string | number | boolean | undefined | XmlMap | XmlList;
/** Child elements in order; undefined values are left out. */
export interface XmlMap {
  readonly [name: string]: XmlValue;
}
/** A list whose items are written as `<item>` elements named `member` (or another name). */
export interface XmlList {
  readonly list: readonly XmlValue[];
  readonly member: string;
}

/** A list of `items`, each written as `<member>` (IAM), `<Cluster>` (Redshift) or `<item>` (EC2). */
export function list(items: readonly XmlValue[], member = 'member'): XmlList {
  return { list: items, member };
}

/** `value` as XML elements. */
export function xml(value: XmlValue): string {
  if (value === undefined) return '';
  if (typeof value !== 'object') return escapeXml(String(value));
  if (isList(value)) return value.list.map((item) => `<${value.member}>${xml(item)}</${value.member}>`).join('');
  return Object.entries(value)
    .filter(([, inner]) => inner !== undefined)
    .map(([name, inner]) => `<${name}>${xml(inner)}</${name}>`)
    .join('');
}

/** The XML body of a Query protocol answer to `action` of the API `version` (xmlns `namespace`). */
export function queryResponse(action: string, namespace: string, result: XmlMap): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?><${action}Response xmlns="${namespace}">` +
    `<${action}Result>${xml(result)}</${action}Result>` +
    `<ResponseMetadata><RequestId>${requestId()}</RequestId></ResponseMetadata></${action}Response>`
  );
}

/** An EC2 answer: no Result wrapper, lower-camel names, a requestId first. */
export function ec2Response(action: string, result: XmlMap): string {
  return `<?xml version="1.0" encoding="UTF-8"?><${action}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>${requestId()}</requestId>${xml(result)}</${action}Response>`;
}

/** A Query protocol error body. */
export function queryError(fault: AwsFault, namespace: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?><ErrorResponse xmlns="${namespace}"><Error><Type>Sender</Type>` +
    `<Code>${escapeXml(fault.code)}</Code><Message>${escapeXml(fault.message)}</Message></Error><RequestId>${requestId()}</RequestId></ErrorResponse>`
  );
}

/** An EC2 error body. */
export function ec2Error(fault: AwsFault): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>${escapeXml(fault.code)}</Code>` +
    `<Message>${escapeXml(fault.message)}</Message></Error></Errors><RequestID>${requestId()}</RequestID></Response>`
  );
}

/**
 * The form of a Query request, with helpers for its flattened lists: `values('Tags', 'Key')` reads
 * Tags.member.1.Key, Tags.Tag.1.Key and (EC2) Tags.1.Key alike.
 */
export class QueryForm {
  constructor(readonly params: URLSearchParams) {}

  /** A scalar parameter. */
  get(name: string): string | undefined {
    return this.params.get(name) ?? undefined;
  }

  /** A required scalar parameter; a missing one is the ValidationError AWS would give. */
  need(name: string): string {
    const value = this.get(name);
    if (value === undefined) throw new AwsFault('ValidationError', `1 validation error detected: ${name} must not be null`);
    return value;
  }

  /** The items of list `name`, as maps of their fields (`field` '' for a list of scalars). */
  items(name: string): Record<string, string>[] {
    const pattern = new RegExp(`^${name.replace(/\./g, '\\.')}\\.(?:[A-Za-z]+\\.)?(\\d+)(?:\\.(.+))?$`);
    const found = new Map<number, Record<string, string>>();
    for (const [key, value] of this.params) {
      const match = pattern.exec(key);
      if (!match) continue;
      const index = Number(match[1]);
      const item = found.get(index) ?? {};
      item[match[2] ?? ''] = value;
      found.set(index, item);
    }
    return [...found.entries()].sort(([a], [b]) => a - b).map(([, item]) => item);
  }
}

function isList(value: object): value is XmlList {
  return 'list' in value && 'member' in value && Array.isArray((value as XmlList).list);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

let requests = 0;
function requestId(): string {
  return `00000000-0000-4000-8000-${String(++requests).padStart(12, '0')}`;
}
