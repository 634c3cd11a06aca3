import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the old generation grow past what the last full collection kept alive. V8's own factor (up to
 * about 4×) trades memory for fewer collections: under steps a server whose live heap is ~100 MB grew its heap to
 * ~430 MB and its RSS to ~550 MB (bench/rss.ts, 100,000 open cases), nearly all of it garbage waiting to be
 * collected. The percentage sets how often a busy server collects fully, and each full collection marks the whole
 * live heap, much of it on the main thread: at 20 % bench/engine-steps saw 33–42 full collections a run, each
 * with 50–150 ms of marking on the main thread in about 200 ms, and the slow requests of its open loop were the ones
 * in flight then (--gc-trace). At 50 % it sees half as many, a step costs ~10 % less server CPU, and bench/rss.ts
 * stays under 300 MB (see the README, Production, Memory). The flag is read at every collection, so setting it
 * once the process runs takes effect from the next one. 0 leaves V8's own factor.
 */
export function limitHeapGrowth(percent: number): void {
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${percent}`);
}
