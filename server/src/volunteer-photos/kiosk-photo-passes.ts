import { randomBytes } from 'node:crypto';
import type { AppContext } from '../context.ts';

/**
 * Kiosks show the photo of the volunteer just scanned, and nothing else. A scan's ack carries a
 * one-off address `/api/kiosk-photos/<pass>`: 144 random bits, made for that device and that
 * volunteer, good for a minute. No address names a volunteer, and there is no list to walk: a
 * tablet on the Wi-Fi, paired or not, gets a photo only by scanning that person's card (or typing
 * their number and phone digits, which are limited and audited).
 */
const PASS_LIFETIME_MS = 60_000;
/** More than a line of cards in a minute ever makes; the oldest go first. */
const MAX_PASSES = 500;

interface PhotoPass {
  volunteerId: string;
  sha256: string;
  deviceId: string;
  expiresAt: number;
}

export class KioskPhotoPasses {
  readonly #passes = new Map<string, PhotoPass>();

  constructor(private readonly now: () => number) {}

  issue(volunteerId: string, sha256: string, deviceId: string): string {
    const now = this.now();
    for (const [key, pass] of this.#passes) if (pass.expiresAt <= now || this.#passes.size >= MAX_PASSES) this.#passes.delete(key);
    const pass = randomBytes(18).toString('base64url');
    this.#passes.set(pass, { volunteerId, sha256, deviceId, expiresAt: now + PASS_LIFETIME_MS });
    return pass;
  }

  /** The pass if it exists and is still good. */
  find(pass: string): PhotoPass | undefined {
    const found = this.#passes.get(pass);
    if (!found) return undefined;
    if (found.expiresAt <= this.now()) {
      this.#passes.delete(pass);
      return undefined;
    }
    return found;
  }
}

// One set of passes per server (a test may run several in one process); no module-wide state shared between them.
const passesByServer = new WeakMap<AppContext, KioskPhotoPasses>();

export function kioskPhotoPasses(ctx: AppContext): KioskPhotoPasses {
  let passes = passesByServer.get(ctx);
  if (!passes) {
    passes = new KioskPhotoPasses(() => ctx.clock.now().getTime());
    passesByServer.set(ctx, passes);
  }
  return passes;
}

/** The scan's answer with the one-off photo address, when the volunteer has a photo; the stored receipt never holds one. */
export function withKioskPhoto<A extends { ok: boolean; volunteer?: { id: string } }>(ctx: AppContext, deviceId: string, ack: A): A {
  if (!ack.ok || !ack.volunteer) return ack;
  const photo = ctx.store.state.get('volunteers', ack.volunteer.id)?.photo;
  if (!photo) return ack;
  return { ...ack, photoUrl: `/api/kiosk-photos/${kioskPhotoPasses(ctx).issue(ack.volunteer.id, photo.sha256, deviceId)}` };
}
