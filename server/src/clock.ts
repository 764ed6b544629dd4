/** Injected everywhere time matters, so rules and tests choose their own "now". */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
