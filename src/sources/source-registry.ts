/**
 * Every kind of storage the product reads, one line each, asked in order: the first whose `matches` takes
 * a location opens it. Local folders come last, since they take any path.
 */
import { localSource } from './local/local-descriptor.js';
import { s3Source } from './s3/s3-descriptor.js';
import type { SourceDescriptor } from './source.js';

const SOURCES: readonly SourceDescriptor[] = [
  s3Source,
  localSource, // last: any path
];

/** The source that reads `location`. */
export function sourceFor(location: string): SourceDescriptor {
  // The local source matches everything, so there always is one.
  return SOURCES.find((source) => source.matches(location))!;
}
