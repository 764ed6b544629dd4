import { tzOffset } from '@date-fns/tz';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const pad = (n: number) => (n < 10 ? `0${n}` : String(n));

/**
 * Writes many instants as the center's wall-clock time. An export of a year formats 50,000
 * times; asking Intl for the zone's offset each time (as formatTimeIn does) took most of the
 * export's CPU. The offset is asked once per UTC day instead, and per instant only on the two
 * days a year a zone with daylight saving changes it.
 */
export class LocalTimes {
  readonly #offsetByDay = new Map<number, number | null>();

  constructor(readonly timeZone: string) {}

  /** Minutes to add to UTC for the zone's wall clock at `ms`. */
  offsetMinutes(ms: number): number {
    const day = Math.floor(ms / DAY_MS);
    let offset = this.#offsetByDay.get(day);
    if (offset === undefined) {
      const atStart = tzOffset(this.timeZone, new Date(day * DAY_MS));
      offset = atStart === tzOffset(this.timeZone, new Date((day + 1) * DAY_MS - 1)) ? atStart : null;
      this.#offsetByDay.set(day, offset);
    }
    return offset ?? tzOffset(this.timeZone, new Date(ms));
  }

  /** yyyy-MM-dd HH:mm, as formatTimeIn writes it. */
  dateTime(at: string | number): string {
    const local = this.#wallClock(at);
    return `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())} ${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`;
  }

  /** yyyy-MM-dd, as dayKey writes it. */
  day(at: string | number): string {
    return this.dateTime(at).slice(0, 10);
  }

  #wallClock(at: string | number): Date {
    const ms = typeof at === 'number' ? at : Date.parse(at);
    return new Date(ms + this.offsetMinutes(ms) * MINUTE_MS);
  }
}
