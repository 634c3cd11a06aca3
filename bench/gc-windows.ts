/**
 * Where the slow steps of an open loop come from (bench/engine-steps.ts --gc-trace): the server runs with V8's
 * `--trace-gc`, each full collection (Mark-Compact) is placed in time from its line (milliseconds since the
 * isolate started, counted here from the process's time origin, which bench/count-calls.mjs writes down and which
 * is a few milliseconds earlier) and spans its marking, from the line's "walltime since start of marking" to its
 * end. A request counts as slowed by one when it was in flight while that collection marked. The baseline is the
 * share of all requests in flight during marking, from the same run: if marking slows nothing, the slow requests
 * show the same share.
 */

export interface MarkingWindow {
  /** Epoch milliseconds. */
  start: number;
  end: number;
  /** The collection's atomic pause and the marking the main thread did before it (incremental steps), in ms. */
  mainThreadMs: number;
}

/** Marking windows of every Mark-Compact in a `--trace-gc` log of a process whose time origin is `originMs`. */
export function markingWindows(trace: string, originMs: number): MarkingWindow[] {
  const line =
    /\s(\d+(?:\.\d+)?) ms: Mark-Compact\S* .*?MB, ([\d.]+) \/ [\d.]+ ms\s+(?:\(\+ ([\d.]+) ms in \d+ steps since start of marking.*?walltime since start of marking (\d+) ms\))?/g;
  return [...trace.matchAll(line)].map((m) => {
    const end = originMs + Number(m[1]);
    const pause = Number(m[2]);
    return {
      start: end - Math.max(pause, Number(m[4] ?? 0)),
      end,
      mainThreadMs: pause + Number(m[3] ?? 0),
    };
  });
}

export interface TimedRequest {
  /** Scheduled arrival, epoch milliseconds. */
  start: number;
  /** Latency counted from the scheduled arrival. */
  ms: number;
}

/**
 * The requests slower than `slowerThan` ms and how many of them were in flight during a marking window, against
 * the share of all requests that were; the windows that overlap the requests' span, and their main-thread time.
 */
export function slowDuringMarking(requests: TimedRequest[], windows: MarkingWindow[], slowerThan: number) {
  const from = Math.min(...requests.map((r) => r.start));
  const to = Math.max(...requests.map((r) => r.start + r.ms));
  const inside = windows.filter((w) => w.end >= from && w.start <= to);
  const marked = (r: TimedRequest) => inside.some((w) => r.start <= w.end && r.start + r.ms >= w.start);
  const slow = requests.filter((r) => r.ms > slowerThan);
  return {
    collections: inside.length,
    mainThreadMs: inside.reduce((sum, w) => sum + w.mainThreadMs, 0),
    markingMs: inside.reduce((sum, w) => sum + (Math.min(w.end, to) - Math.max(w.start, from)), 0),
    spanMs: to - from,
    slow: slow.length,
    slowMarked: slow.filter(marked).length,
    allMarkedShare: requests.filter(marked).length / requests.length,
  };
}
