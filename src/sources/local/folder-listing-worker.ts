/**
 * Entry point of a listing worker thread (see `folder-listing-pool.ts`): lists the folders it is sent, with
 * each file's stats, and posts each listing back (its two arrays of numbers moved, not copied).
 */
import { parentPort } from 'node:worker_threads';
import { type FolderListing, listFolderWhole, listingFailure } from './folder-listing.js';

/** What the pool sends: a folder to list whole. */
export interface ListingRequest {
  readonly id: number;
  readonly folder: string;
  /** The real path of the location the folder is in (see `listFolderWhole`). */
  readonly root?: string;
}

/** What a worker posts back for one request. */
export type ListingReply = { readonly id: number; readonly listing: FolderListing } | { readonly id: number; readonly error: string };

if (parentPort) {
  const port = parentPort;
  port.on('message', ({ id, folder, root }: ListingRequest) => {
    let listing: FolderListing;
    try {
      listing = listFolderWhole(folder, true, root);
    } catch (error) {
      port.postMessage({ id, error: listingFailure(folder, error) } satisfies ListingReply);
      return;
    }
    const moved = [listing.sizes?.buffer, listing.mtimes?.buffer].filter((buffer) => buffer !== undefined);
    port.postMessage({ id, listing } satisfies ListingReply, moved as ArrayBuffer[]);
  });
}
