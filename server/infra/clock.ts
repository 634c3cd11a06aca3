/** Wall-clock source, injectable so that tests and the calendar can reason about "now". */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
