/** Where the scheduler reads the time; tests hold it still and move it by hand. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that moves only when told to. */
export class ManualClock implements Clock {
  #ms: number;

  constructor(start: Date | string) {
    this.#ms = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.#ms);
  }

  set(time: Date | string): void {
    this.#ms = new Date(time).getTime();
  }

  advance(by: { days?: number; hours?: number; minutes?: number; seconds?: number }): Date {
    const minutes = (by.days ?? 0) * 1440 + (by.hours ?? 0) * 60 + (by.minutes ?? 0);
    const seconds = minutes * 60 + (by.seconds ?? 0);
    this.#ms += seconds * 1000;
    return this.now();
  }
}
