import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the old generation grow past what the last full collection kept alive. V8's own factor (up to
 * about 4×) trades memory for fewer collections: under steps a server whose live heap is ~100 MB grew its heap to
 * ~430 MB and its RSS to ~550 MB (bench/rss.ts, 100,000 open cases), nearly all of it garbage waiting to be
 * collected. At 20 % the same run stays under 300 MB (with the start flags of deploy/systemd), for a CPU cost the
 * step bench cannot tell from its noise. The flag is read at every collection, so setting it once the process
 * runs takes effect from the next one. 0 leaves V8's own factor.
 */
export function limitHeapGrowth(percent: number): void {
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${percent}`);
}
