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
  // The first file listed of each name, and the first of each name that this run loads.
  private readonly firstByName = new Map<string, string>();
  private readonly loadedByName = new Map<string, string>();
  private readonly shared: SharedFileName[] = [];

  /** A file of the source; `loads` when this run loads it (new, changed or reloaded). */
  listed(uri: string, loads: boolean): void {
    const name = fileName(uri);
    const first = this.firstByName.get(name);
    const loaded = this.loadedByName.get(name);
    if (loads && first !== undefined) this.shared.push({ file: uri, other: first, otherRemoved: false });
    else if (!loads && loaded !== undefined) this.shared.push({ file: loaded, other: uri, otherRemoved: false });
    if (first === undefined) this.firstByName.set(name, uri);
    if (loads && loaded === undefined) this.loadedByName.set(name, uri);
  }

  /** A file the ledger has that the source no longer does, after every `listed` call. */
  removed(uri: string): void {
    const loaded = this.loadedByName.get(fileName(uri));
    if (loaded !== undefined) this.shared.push({ file: loaded, other: uri, otherRemoved: true });
  }

  /** What was found: files named as removed ones first (a moved source), then copies. */
  get found(): readonly SharedFileName[] {
    return [...this.shared.filter((entry) => entry.otherRemoved), ...this.shared.filter((entry) => !entry.otherRemoved)];
  }
}

const EXAMPLES = 2;

/**
 * One line on `shared` and what to do, undefined when nothing is shared: for the summary of a run that
 * published (`published`: no ids collided, but what the other files hold stays beside what these do), or
 * for the error of a run whose key check they failed (`refused`: nothing was published).
 */
export function sharedFileNamesNote(shared: readonly SharedFileName[], outcome: 'published' | 'refused'): string | undefined {
  if (shared.length === 0) return undefined;
  const files = new Set(shared.map((entry) => entry.file)).size;
  const examples = shared
    .slice(0, EXAMPLES)
    .map(
      ({ file, other, otherRemoved }) =>
        `${file} has the name of ${other}${otherRemoved ? ' (loaded before, no longer in the source)' : ''}`,
    );
  const more = shared.length > EXAMPLES ? ` (and ${shared.length - EXAMPLES} more)` : '';
  const count =
    files === 1
      ? `1 log file this run ${outcome === 'published' ? 'loaded' : 'loads'} has the name of another log file`
      : `${files} log files this run ${outcome === 'published' ? 'loaded' : 'loads'} have the names of other log files`;
  const moved = shared.some((entry) => entry.otherRemoved);
  const copied = shared.some((entry) => !entry.otherRemoved);
  const advice =
    outcome === 'refused'
      ? [
          ...(moved ? ['if the source moved, run with --full-refresh to rebuild from it as it is now'] : []),
          ...(copied ? ['if a file was copied, remove the copy'] : []),
        ]
      : [
          ...(moved ? ['if the source moved, run with --full-refresh to drop the records of the files no longer in it'] : []),
          ...(copied ? ['if a file was copied, remove the copy, then run with --full-refresh to drop its records'] : []),
        ];
  const consequence =
    outcome === 'refused'
      ? 'so the same plays in both get the same ids, which the songplays_primary_key check refuses'
      : 'so the same plays in both would get the same ids; none did this time, and both files’ plays are published';
  return `${count}: ${examples.join('; ')}${more}. A songplay_id is made from the file's name, not its folder, ${consequence}: ${advice.join('; ')}`;
}

function fileName(uri: string): string {
  return uri.slice(uri.lastIndexOf('/') + 1);
}
