/**
 * What a scan yields, made uniform. A wedge scanner on a tablet whose Chinese IME is in
 * full-width mode types `ＶＳ１．１０００２３…`, and a volunteer may type digits the same way;
 * the server expects plain ASCII.
 */
export function normalizeScannedText(text: string): string {
  return text
    .replace(/[\uFF01-\uFF5E]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0))
    .replace(/\u3002/g, '.')
    .trim();
}

/**
 * The card number inside a card's QR text (`VS1.<cardNo>.<serial>.<mac>`) or a typed number,
 * for greeting a volunteer from the cached roster while offline. It proves nothing: the server
 * checks the card's MAC when the scan is synced.
 */
export function cardNumberOf(code: string): string | null {
  const text = normalizeScannedText(code);
  const match = /^VS1\.(\d{4,10})\./.exec(text) ?? /^(\d{4,10})$/.exec(text);
  return match ? match[1]! : null;
}

/**
 * Drops a code seen again within `windowMs` of its last sighting. A card held to the camera is
 * decoded on every frame; without this one card would sign in, then out, then in again. Each
 * sighting restarts the window, so a card is only read again after it left the view.
 */
export class RecentCodeFilter {
  readonly #windowMs: number;
  readonly #lastSeen = new Map<string, number>();

  constructor(windowMs: number) {
    this.#windowMs = windowMs;
  }

  accept(code: string, now: number): boolean {
    for (const [seen, at] of this.#lastSeen) if (now - at >= this.#windowMs) this.#lastSeen.delete(seen);
    const fresh = !this.#lastSeen.has(code);
    this.#lastSeen.set(code, now);
    return fresh;
  }
}
