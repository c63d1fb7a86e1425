/**
 * Masks the password of a connection URL, for every message and summary that prints one.
 */

/**
 * `url` with any password replaced by `***`, safe to print. The URL is parsed (WHATWG rules, as pg's own
 * parser does), so a password holding `@`, `:` or `/` is masked whole: `postgres://u:se@cret@host/db`
 * prints as `postgres://u:***@host/db`. A `password=` query parameter is masked too. A URL that does not
 * parse, that has no host (`postgresql:///u:pw@host/db`) or that lacks its `//` (`postgres:/u:pw@host/db`,
 * a typo) loses everything between the user name's `:` and the last `@`.
 *
 * @example
 * redactUrl('postgres://u:se@cret@127.0.0.1:1/db'); // 'postgres://u:***@127.0.0.1:1/db'
 * redactUrl('postgres:/u:secret@host/db'); // 'postgres:/u:***@host/db'
 */
export function redactUrl(url: string): string {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url)?.[0];
  let parsed: URL | undefined;
  try {
    parsed = scheme ? new URL(url) : undefined;
  } catch {
    parsed = undefined;
  }
  // A password holding both `@` and `?` (or `#`, `/`) parses as a shorter password and a host, with the
  // rest of it in the query: an `@` after the host says so, and the text is cut at its last `@` instead.
  const tail = parsed ? `${parsed.pathname}${parsed.search}${parsed.hash}` : '';
  if (parsed?.password && tail.includes('@')) return maskUserInfo(url);
  if (scheme && parsed?.password) {
    // Rebuilt from its parts: the raw text cannot be cut reliably where the password ends.
    const user = parsed.username;
    return maskPasswordParameter(`${scheme}${user}:***@${parsed.host}${parsed.pathname}${parsed.search}${parsed.hash}`);
  }
  if (parsed?.host) return maskPasswordParameter(url);
  return maskUserInfo(url);
}

// The password may hold `/`, `?` or `#`, so no part of the text can be trusted to end it: cut at the last
// `@` of all. Masking too much (a query value with an `@`) is harmless, too little is not. Text with no
// `user:` before an `@` (a file path, `user@host`) holds no password and is kept.
function maskUserInfo(url: string): string {
  const prefix = /^[a-z][a-z0-9+.-]*:\/*/i.exec(url)?.[0] ?? '';
  const rest = url.slice(prefix.length);
  const at = rest.lastIndexOf('@');
  const colon = rest.slice(0, Math.max(at, 0)).indexOf(':');
  if (at === -1 || colon === -1) return maskPasswordParameter(url);
  return maskPasswordParameter(`${prefix}${rest.slice(0, colon)}:***@${rest.slice(at + 1)}`);
}

function maskPasswordParameter(url: string): string {
  return url.replace(/([?&](?:password|pass|pwd|sslpassword)=)[^&#]*/gi, '$1***');
}

/** The password `url` holds (as written and decoded), or none; for masking it wherever it appears. */
export function urlPasswords(url: string | undefined): string[] {
  if (!url) return [];
  try {
    const password = new URL(url).password;
    return password ? [password, decodeURIComponent(password)] : [];
  } catch {
    // A URL that does not parse was refused when the target was parsed; there is nothing to mask.
    return [];
  }
}
