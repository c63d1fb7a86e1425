/**
 * Local folders, as the source registry knows them: any location no other source claims.
 */
import { statSync } from 'node:fs';
import type { SourceDescriptor } from '../source.js';
import { LocalLocation } from './local-location.js';

/** The local folder descriptor. */
export const localSource: SourceDescriptor = {
  title: 'local folder',
  matches: () => true,
  open: async (location) => new LocalLocation(location),
  unreadable(location) {
    const info = statSync(location, { throwIfNoEntry: false });
    if (!info) return `the folder ${location} does not exist`;
    return info.isDirectory() ? undefined : `${location} is not a folder`;
  },
};
