/**
 * Log files that share a name. A play's songplay_id is made from its file's name, not its folder (DATA.md),
 * so the same plays in two files of one name get the same ids, and the songplays_primary_key check stops
 * the publish. Two ways it happens: a copy beside the original (`log_data/backup/...`), and a source that
 * moved (a renamed folder, a switch from a local copy to S3), whose files are all new while the files loaded
 * from the old place are removed from the source and keep their records. The run says so in a note, and on
 * a failed key check in its error, with what to do.
 */

/** A log file this run loads and another file of the same name. */
export interface SharedFileName {
  /** The file this run loads. */
  readonly file: string;
  /** The other file of that name. */
  readonly other: string;
  /** The other one was loaded before and is no longer in the source (its records stay). */
  readonly otherRemoved: boolean;
}

/** Collects the shared names of one listing: every listed file, then the ledger's removed ones. */
export class SharedFileNames {
  private readonly byName = new Map<string, { readonly uri: string; readonly loads: boolean }>();
  private readonly shared: SharedFileName[] = [];

  /** A file of the source; `loads` when this run loads it (new, changed or reloaded). */
  listed(uri: string, loads: boolean): void {
    const name = fileName(uri);
    const first = this.byName.get(name);
    if (!first) {
      this.byName.set(name, { uri, loads });
      return;
    }
    if (loads) this.shared.push({ file: uri, other: first.uri, otherRemoved: false });
    else if (first.loads) this.shared.push({ file: first.uri, other: uri, otherRemoved: false });
  }

  /** A file the ledger has that the source no longer does, after every `listed` call. */
  removed(uri: string): void {
    const present = this.byName.get(fileName(uri));
    if (present?.loads) this.shared.push({ file: present.uri, other: uri, otherRemoved: true });
  }

  /** What was found, in listing order. */
  get found(): readonly SharedFileName[] {
    return this.shared;
  }
}

const EXAMPLES = 2;

/** One line on `shared` and what to do; undefined when nothing is shared. */
export function sharedFileNamesNote(shared: readonly SharedFileName[]): string | undefined {
  if (shared.length === 0) return undefined;
  const examples = shared
    .slice(0, EXAMPLES)
    .map(({ file, other, otherRemoved }) => `${file} and ${other}${otherRemoved ? ' (loaded before, no longer in the source)' : ''}`);
  const more = shared.length > EXAMPLES ? ` and ${shared.length - EXAMPLES} more` : '';
  const count = shared.length === 1 ? '1 log file this run loads has' : `${shared.length} log files this run loads have`;
  const moved = shared.some((entry) => entry.otherRemoved);
  const copied = shared.some((entry) => !entry.otherRemoved);
  const advice = [
    ...(moved ? ['if the source moved, run with --full-refresh to rebuild from it as it is now'] : []),
    ...(copied ? ['if a file was copied, remove the copy'] : []),
  ].join('; ');
  return (
    `${count} the name of another log file: ${examples.join('; ')}${more}. A songplay_id is made from the file's name, ` +
    `not its folder, so plays that are in both get the same ids, which the songplays_primary_key check refuses: ${advice}`
  );
}

function fileName(uri: string): string {
  return uri.slice(uri.lastIndexOf('/') + 1);
}
