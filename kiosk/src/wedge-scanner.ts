import { normalizeScannedText } from './scanned-text.ts';

/**
 * A keyboard-wedge scanner (USB or Bluetooth) "types" the code within a few milliseconds per
 * character and ends with Enter. A person typing leaves 100 ms or more between keys. Timing
 * alone tells them apart, so the kiosk can listen on the whole page without a focused input.
 */
export interface WedgeTiming {
  /** Longest pause between two characters of one scan. Bluetooth scanners can reach 30–40 ms. */
  maxGapMs: number;
  /** Shortest code worth sending: a card number has 6 digits, a card's QR text about 25 characters. */
  minLength: number;
}

export const defaultWedgeTiming: WedgeTiming = { maxGapMs: 60, minLength: 4 };

export class WedgeDetector {
  readonly #timing: WedgeTiming;
  #buffer = '';
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
    if (key === 'Enter') {
      const text = gap <= this.#timing.maxGapMs ? this.#buffer : '';
      this.#buffer = '';
      return [...text].length >= this.#timing.minLength ? normalizeScannedText(text) : null;
    }
    // A slow key starts a new candidate: what came before was typed by a person.
    this.#buffer = gap <= this.#timing.maxGapMs ? this.#buffer + key : key;
    return null;
  }
}
