import { normalizeScannedText } from './scanned-text.ts';

/**
 * A keyboard-wedge scanner (USB or Bluetooth) "types" the code a few milliseconds per character
 * and ends with Enter; a person leaves 100 ms or more between keys. Timing alone tells them apart,
 * so the kiosk listens on the whole page without a focused input. The median gap decides, not the
 * longest: a busy tablet (the camera decoder runs on the same thread) can stall one key of a scan.
 */
export interface WedgeTiming {
  /** A pause this long ends whatever came before: the next key starts a new candidate. */
  pauseMs: number;
  /** Keys of a scan arrive with a median gap at most this. */
  medianGapMs: number;
  /** Shortest code worth sending: a card number has 6 digits, a card's QR text about 25 characters. */
  minLength: number;
}

export const defaultWedgeTiming: WedgeTiming = { pauseMs: 300, medianGapMs: 50, minLength: 4 };

export class WedgeDetector {
  readonly #timing: WedgeTiming;
  #text = '';
  /** Gaps before each character after the first. */
  #gaps: number[] = [];
  #lastKeyAt = Number.NEGATIVE_INFINITY;

  constructor(timing: WedgeTiming = defaultWedgeTiming) {
    this.#timing = timing;
  }

  /**
   * Feeds one keydown (`KeyboardEvent.key` and its time in ms). Returns the scanned text when
   * this key is the Enter that ends a scan, else null. Keys that type nothing (Shift, arrows)
   * are ignored: a scanner presses Shift for capitals.
   */
  key(key: string, at: number): string | null {
    if (key !== 'Enter' && [...key].length !== 1) return null;
    const gap = at - this.#lastKeyAt;
    this.#lastKeyAt = at;
    const paused = gap > this.#timing.pauseMs;
    if (key !== 'Enter') {
      if (paused) {
        this.#text = key;
        this.#gaps = [];
      } else {
        this.#text += key;
        this.#gaps.push(gap);
      }
      return null;
    }
    const text = this.#text;
    const gaps = [...this.#gaps, gap];
    this.#text = '';
    this.#gaps = [];
    if (paused || [...text].length < this.#timing.minLength) return null;
    return median(gaps) <= this.#timing.medianGapMs ? normalizeScannedText(text) : null;
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
