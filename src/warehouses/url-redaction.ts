/**
 * Masks the password of a connection URL, for every message and summary that prints one.
 */

/**
 * `url` with any password replaced by `***`, safe to print. The URL is parsed (WHATWG rules, as pg's own
 * parser does), so a password holding `@`, `:` or `/` is masked whole: `postgres://u:se@cret@host/db`
 * prints as `postgres://u:***@host/db`. A `password=` query parameter is masked too. A URL that does not
 * parse loses everything between `://` and its last `@` but the user name.
 *
 * @example
 * redactUrl('postgres://u:se@cret@127.0.0.1:1/db'); // 'postgres://u:***@127.0.0.1:1/db'
 */
export function redactUrl(url: string): string {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url)?.[0];
  if (!scheme) return maskPasswordParameter(url);
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (parsed?.password) {
    // Rebuilt from its parts: the raw text cannot be cut reliably where the password ends.
    const user = parsed.username;
    return maskPasswordParameter(`${scheme}${user}:***@${parsed.host}${parsed.pathname}${parsed.search}${parsed.hash}`);
  }
  if (parsed) return maskPasswordParameter(url);
  // Unparseable: the password may hold `/`, `?` or `#`, so no part of the text can be trusted to end it.
  // Cut at the last `@` of all: masking too much (a query value with an `@`) is harmless, too little is not.
  const rest = url.slice(scheme.length);
  const at = rest.lastIndexOf('@');
  if (at === -1) return maskPasswordParameter(url);
  const user = rest.slice(0, at).split(':')[0] ?? '';
  return maskPasswordParameter(`${scheme}${user}:***@${rest.slice(at + 1)}`);
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
