import type { AppContext } from '../context.ts';
import type { LanStatus } from '../lan/lan-status.ts';
import { meLinkSchema, type MeLinkInput } from '../protocol/me.ts';
import { kioskEvent } from '../realtime/kiosk-event.ts';
import type { Device } from '../protocol/model.ts';
import { createMeLink, phoneOrigin } from './phone-sessions.ts';

/** What the kiosk namespace needs to answer `me:link` for one tablet's socket. */
export interface MeLinkRequest {
  input: MeLinkInput;
  device: Device;
  /** The Host header and TLS of the tablet's own connection: the phone uses the same address. */
  host: string | undefined;
  secure: boolean;
}

export type MeLinkHandler = (request: MeLinkRequest) => Promise<{ ok: true; url: string; expiresAt: string; expiresInSeconds: number }>;

export function meLinkHandler(ctx: AppContext, lan: LanStatus): MeLinkHandler {
  return ({ input, device, host, secure }) => createMeLink(ctx, input, device, phoneOrigin(lan, host, secure));
}

/** `me:link` on `/kiosk`: the phone link is made on the tablet's own address, from either kind of kiosk. */
export function meLinkEvent(meLink: MeLinkHandler) {
  return kioskEvent({
    modes: ['checkin', 'counter'],
    schema: meLinkSchema,
    run: (input, { device, socket }) => meLink({ input, device, host: socket.handshake.headers.host, secure: socket.handshake.secure }),
  });
}
