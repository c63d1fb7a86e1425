/**
 * Local folders, as the source registry knows them: any location no other source claims.
 */
import type { SourceDescriptor } from '../source.js';
import { LocalLocation } from './local-location.js';

/** The local folder descriptor. */
export const localSource: SourceDescriptor = {
  title: 'local folder',
  matches: () => true,
  open: async (location) => new LocalLocation(location),
};
