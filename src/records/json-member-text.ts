/**
 * The source text of a top-level member's value, as written in the file. JSON.parse turns `112.0` into the
 * number 112 and forgets how it was written; a text column that receives a number must hold it exactly as
 * written (`112.0`, as Redshift's COPY loads it), so the parser asks this for the original. Only records with
 * a number in a text field come here, which real song files have now and then (artists named "112").
 */

const QUOTE = 34;
const BACKSLASH = 92;

/**
 * The raw text of the value of `key` in the JSON object `text` (which JSON.parse has accepted), the last one
 * if the key repeats (as JSON.parse keeps the last); undefined when the object has no such member.
 */
export function memberValueText(text: string, key: string): string | undefined {
  let found: string | undefined;
  let p = skipWhitespace(text, text.indexOf('{') + 1);
  while (p < text.length && text[p] !== '}') {
    const keyEnd = stringEnd(text, p);
    const name = JSON.parse(text.slice(p, keyEnd)) as string;
    p = skipWhitespace(text, skipWhitespace(text, keyEnd) + 1);
    const valueEnd = valueEndAt(text, p);
    if (name === key) found = text.slice(p, valueEnd);
    p = skipWhitespace(text, valueEnd);
    if (text[p] === ',') p = skipWhitespace(text, p + 1);
  }
  return found;
}

/** Where the string opening at `p` ends (just past its closing quote). */
function stringEnd(text: string, p: number): number {
  let q = p + 1;
  while (q < text.length) {
    const c = text.charCodeAt(q);
    if (c === BACKSLASH) q += 2;
    else if (c === QUOTE) return q + 1;
    else q++;
  }
  return q;
}

/** Where the value starting at `p` ends. */
function valueEndAt(text: string, p: number): number {
  const c = text[p];
  if (c === '"') return stringEnd(text, p);
  if (c === '{' || c === '[') {
    let depth = 0;
    let q = p;
    while (q < text.length) {
      const d = text[q];
      if (d === '"') {
        q = stringEnd(text, q);
        continue;
      }
      if (d === '{' || d === '[') depth++;
      else if (d === '}' || d === ']') {
        depth--;
        if (depth === 0) return q + 1;
      }
      q++;
    }
    return q;
  }
  let q = p;
  while (q < text.length && !/[\s,}\]]/.test(text[q]!)) q++;
  return q;
}

function skipWhitespace(text: string, p: number): number {
  while (p < text.length && /\s/.test(text[p]!)) p++;
  return p;
}
