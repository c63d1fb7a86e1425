/**
 * fast-check arbitraries for raw records: JSON objects with the fields of a staging table, as bytes, with
 * everything real and damaged files hold: values of every kind and of the wrong kind, numbers written every
 * way JSON allows (and a few ways it does not), escapes, raw non-ASCII, bytes that are not UTF-8, NUL,
 * unpaired surrogates, nested values, missing, extra and repeated keys, any key order and whitespace.
 */
import fc from 'fast-check';
import type { FieldSpec } from '../../src/records/field-spec.js';

const UNITS = [
  'a',
  'Z',
  ' ',
  '"',
  '\\',
  '/',
  '\n',
  '\t',
  '\u0000',
  '\u0019',
  '\u007f',
  'é',
  'Ã\u0083',
  '日',
  '\u{1F600}',
  '\ud83d',
  '\udc00',
  '\ufffd',
  '\ufeff',
  '0',
  '9',
  '.',
];

/** The inside of a JSON string (without quotes), as bytes: escaped or raw, sometimes with invalid UTF-8. */
const stringBody: fc.Arbitrary<Buffer> = fc
  .tuple(
    fc.array(fc.constantFrom(...UNITS), { maxLength: 8 }),
    fc.constantFrom('raw', 'escaped', 'slashes'),
    fc.option(fc.constantFrom(Buffer.from([0xff]), Buffer.from([0xc3]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xe6, 0x97])), {
      freq: 8,
    }),
  )
  .map(([units, style, badBytes]) => {
    // JSON.stringify escapes quotes, backslashes, controls and unpaired surrogates; the rest stays raw.
    let body = JSON.stringify(units.join('')).slice(1, -1);
    if (style === 'escaped') body = body.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    if (style === 'slashes') body = body.replaceAll('/', '\\/');
    const bytes = Buffer.from(body, 'utf8');
    return badBytes ? Buffer.concat([bytes.subarray(0, bytes.length >> 1), badBytes, bytes.subarray(bytes.length >> 1)]) : bytes;
  });

/** A JSON number's text, written any way JSON allows, and now and then a way it does not. */
const numberText: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: -3_000_000_000, max: 3_000_000_000 }).map(String) },
  {
    weight: 3,
    arbitrary: fc.constantFrom('0', '-0', '0.0', '-0.0', '1.0', '112', '112.0', '2562', '1e3', '1E+2', '2.5e-3', '1e400', '-1e400'),
  },
  { weight: 4, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }).map((value) => JSON.stringify(value)) },
  {
    weight: 4,
    arbitrary: fc
      .tuple(fc.bigInt({ min: -(10n ** 16n), max: 10n ** 16n }), fc.constantFrom('', '.0', '.00', '.5', '.796'))
      .map(([digits, fraction]) => `${digits}${fraction}`),
  },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '1541106106796',
      '1540919166796.0',
      '253402300799999',
      '253402300800000',
      '-62135596800001',
      '-62135596800000',
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom('01', '1.', '.5', '+1', '1e', '--1', 'NaN', 'Infinity', '1e400', '-1e400', '1E309') },
);

/** One JSON value's text, as bytes. */
export const jsonValue: fc.Arbitrary<Buffer> = fc.oneof(
  { weight: 6, arbitrary: stringBody.map((body) => Buffer.concat([Buffer.from('"'), body, Buffer.from('"')])) },
  { weight: 6, arbitrary: numberText.map((text) => Buffer.from(text)) },
  { weight: 2, arbitrary: numberText.map((text) => Buffer.from(`"${text}"`)) },
  { weight: 1, arbitrary: fc.constantFrom('"123456789"', '"1234567890"', '""', '"-1"', '"007"').map((text) => Buffer.from(text)) },
  // Around the 64-byte width of most text columns: as written, and with escapes that make the value shorter.
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 60, max: 70 }), fc.constantFrom('x', 'é', '\\u00e9', '\\n'))
      .map(([count, unit]) => Buffer.from(`"${unit.repeat(count)}"`)),
  },
  { weight: 2, arbitrary: fc.constantFrom('null', 'true', 'false').map((text) => Buffer.from(text)) },
  { weight: 1, arbitrary: fc.constantFrom('[]', '{}', '[1,"a"]', '{"a":{"b":[null]}}', 'nul', 'tru').map((text) => Buffer.from(text)) },
);

/** A plausible value for a field of `kind`: most generated records should pass the checks. */
function typicalValue(field: FieldSpec): fc.Arbitrary<Buffer> {
  const text = (arbitrary: fc.Arbitrary<string>) => arbitrary.map((value) => Buffer.from(value));
  switch (field.kind) {
    case 'text':
    case 'required-text':
      return fc.oneof(
        text(fc.string({ minLength: 1, maxLength: 12 }).map((value) => JSON.stringify(value.replaceAll('\u0000', '')))),
        text(fc.constantFrom('112', '2562.0', '"Björk"', '"BjÃ\\u0083Â¶rk"', '"Howlin\\u0019 For You"', '"a\\/b"')),
      );
    case 'integer':
      return text(fc.integer({ min: -100_000, max: 100_000 }).map(String));
    case 'epoch-ms':
    case 'required-epoch-ms':
      return text(fc.integer({ min: 1_500_000_000_000, max: 1_600_000_000_000 }).map((value) => `${value}${value % 3 === 0 ? '.0' : ''}`));
    case 'double':
      return text(fc.double({ min: -1000, max: 1000, noNaN: true }).map((value) => JSON.stringify(value)));
    case 'user-id':
      return text(
        fc.oneof(
          fc.nat(10_000).map((value) => `"${value}"`),
          fc.constant('""'),
          fc.nat(10_000).map(String),
        ),
      );
    case 'level':
      // Mostly the two levels; now and then one the checks would refuse, or one written with an escape.
      return fc.oneof(
        { weight: 20, arbitrary: text(fc.constantFrom('"free"', '"paid"')) },
        { weight: 1, arbitrary: text(fc.constantFrom('"PAID"', 'null', '"fr\\u0065e"', '""')) },
      );
  }
}

/** A member: a key and its value's text. */
type Member = [key: string, value: Buffer];

/**
 * One record for `fields` as bytes: mostly plausible values (so the fast path is exercised), often one or
 * more values of any kind, with extra, missing and repeated keys, in any order, compact or spaced out.
 */
export function recordBytes(fields: readonly FieldSpec[]): fc.Arbitrary<Buffer> {
  const members = fc.tuple(
    ...fields.map((field) =>
      fc
        .oneof(
          // About half the records have only plausible values ((120/124)^18 for the 18 log fields), so the fast
          // path takes well over the tests' floor of a fifth: 25-30% of the event records over six seeds. With a
          // weight of 60 it took 17-23% once `level` accepted only free and paid, and the floor failed by chance.
          { weight: 120, arbitrary: typicalValue(field) },
          { weight: 3, arbitrary: jsonValue },
          { weight: 1, arbitrary: fc.constant(undefined) },
        )
        .map((value): Member | undefined => (value ? [field.key, value] : undefined)),
    ),
  );
  return fc
    .record({
      members,
      extra: fc.array(fc.tuple(fc.constantFrom('extra', 'similar', 'tz', 'artist_id2'), jsonValue), { maxLength: 2 }),
      repeat: fc.option(fc.tuple(fc.constantFrom(...fields.map((field) => field.key)), jsonValue), { freq: 10 }),
      order: fc.option(fc.infiniteStream(fc.nat()), { freq: 3 }),
      space: fc.constantFrom('', '', '', ' ', '\n  ', '\t'),
    })
    .map(({ members: present, extra, repeat, order, space }) => {
      let all: Member[] = [...present.filter((member): member is Member => member !== undefined), ...extra];
      if (repeat) all.push(repeat);
      if (order) {
        const ranks = all.map(() => order.next().value as number);
        all = all
          .map((member, index) => [member, ranks[index]!] as const)
          .sort((a, b) => a[1] - b[1])
          .map(([member]) => member);
      }
      const parts: Buffer[] = [Buffer.from(`{${space}`)];
      all.forEach(([key, value], index) => {
        if (index > 0) parts.push(Buffer.from(`,${space}`));
        parts.push(Buffer.from(`${JSON.stringify(key)}:${space}`), value);
      });
      parts.push(Buffer.from(`${space}}`));
      return Buffer.concat(parts);
    });
}
