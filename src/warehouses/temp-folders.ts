/**
 * Temporary folders that name the process owning them (`sparkify-load-<pid>-XXXXXX`), so that whatever
 * stopped a run (kill -9, a crash, a power cut) its files do not stay forever: the next run sweeps the
 * folders whose process is gone. Folders of this process are also remembered, so a signal handler or the
 * process's exit can remove them synchronously.
 */
import { rmSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';

const PREFIX = 'sparkify-load-';
const OWNED = /^sparkify-load-(\d+)-/;
const live = new Set<string>();
let exitHookInstalled = false;

/**
 * Creates a folder under `root` (the OS temporary folder by default) carrying this process's id, after
 * sweeping the folders there of processes that no longer run.
 */
export async function createOwnedTempFolder(root: string = tmpdir()): Promise<string> {
  await sweepDeadTempFolders(root);
  const folder = await mkdtemp(join(root, `${PREFIX}${process.pid}-`));
  live.add(folder);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // The last resort: whatever path the process leaves by (process.exit included), its files go with it.
    process.once('exit', removeOwnedTempFoldersSync);
  }
  return folder;
}

/** Removes a folder made by `createOwnedTempFolder`, with everything in it. */
export async function removeOwnedTempFolder(folder: string): Promise<void> {
  await rm(folder, { recursive: true, force: true });
  live.delete(folder);
}

/** Removes every folder this process still owns, synchronously (for signal handlers and `exit`). */
export function removeOwnedTempFoldersSync(): void {
  for (const folder of live) {
    try {
      rmSync(folder, { recursive: true, force: true });
    } catch {
      // Best effort at exit: the next run's sweep removes what is left.
    }
    live.delete(folder);
  }
}

/**
 * Removes the folders under `root` left by sparkify processes that have died. Returns the paths removed.
 * A process id the OS has since given to another live process keeps its folder until that one ends.
 */
export async function sweepDeadTempFolders(root: string = tmpdir()): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(root);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const pid = Number(OWNED.exec(name)?.[1]);
    if (!Number.isSafeInteger(pid) || pid === process.pid || isAlive(pid)) continue;
    const path = join(root, name);
    await rm(path, { recursive: true, force: true }).catch(() => undefined);
    removed.push(path);
  }
  return removed;
}

/** Whether process `pid` runs on this machine (EPERM: it does, under another user). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** This machine's name, for lock holders and messages. */
export const HOST = hostname();
