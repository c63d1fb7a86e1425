/**
 * Masks the password of a connection URL, for every message and summary that prints one.
 */

/** `url` with any password replaced by `***`, safe to print. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@]*@/i, '$1***@').replace(/([?&]password=)[^&]*/i, '$1***');
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
