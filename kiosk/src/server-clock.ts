const OFFSET_KEY = 'vs-kiosk-clock-offset';

/**
 * The server's clock as seen from the tablet. Tablets drift and some never sync their clock; the
 * server decides hours from `scannedAt`, so the kiosk stamps scans with tablet time corrected by
 * the offset it last measured. The offset is kept so a tablet started while the server is down
 * still stamps offline scans with the corrected time.
 */
export class ServerClock {
  #offsetMs: number;

  constructor(private readonly storage: Storage = localStorage) {
    this.#offsetMs = Number(storage.getItem(OFFSET_KEY)) || 0;
  }

  /** From a `state:get` answer: the server's time was read about halfway through the round trip. */
  sync(serverTime: string, sentAt: number, roundTripMs: number): void {
    const serverMs = Date.parse(serverTime);
    if (Number.isNaN(serverMs)) return;
    this.#offsetMs = Math.round(serverMs - (sentAt + roundTripMs / 2));
    this.storage.setItem(OFFSET_KEY, String(this.#offsetMs));
  }

  now(): Date {
    return new Date(Date.now() + this.#offsetMs);
  }
}

/** Hours and points as people read them: at most one decimal, no trailing zero. */
export function formatNumber(value: number): string {
  return String(Math.round(value * 10) / 10);
}

export function formatTime(at: Date | string, timeZone: string, language: string, withSeconds = false): string {
  const date = typeof at === 'string' ? new Date(at) : at;
  return new Intl.DateTimeFormat(language, {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    ...(withSeconds ? { second: '2-digit' } : {}),
    hourCycle: 'h23',
  }).format(date);
}

export function formatDay(at: string, timeZone: string, language: string): string {
  return new Intl.DateTimeFormat(language, { timeZone, month: 'numeric', day: 'numeric', weekday: 'short' }).format(new Date(at));
}
