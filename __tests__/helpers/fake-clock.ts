import type { Clock } from '../../src/clock.js'

/** Virtual time: sleep() returns at once and moves the clock, recording each delay. */
export class FakeClock implements Clock {
  readonly sleeps: number[] = []
  constructor(public time = 1_000_000) {}
  now = (): number => this.time
  sleep = async (ms: number): Promise<void> => {
    this.sleeps.push(ms)
    this.time += ms
  }
}
