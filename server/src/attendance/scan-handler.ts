import type { AppContext } from '../context.ts';
import type { ScanAck } from '../protocol/events.ts';
import type { Device } from '../protocol/model.ts';
import type { ScanInput } from '../protocol/schemas.ts';
import { scanSchema } from '../protocol/schemas.ts';
import { kioskEvent } from '../realtime/kiosk-event.ts';
import { announceAttendance } from './attendance-notice.ts';
import { decideScan } from './scan-rules.ts';
import { withKioskPhoto } from '../volunteer-photos/kiosk-photo-passes.ts';

/** `scan` on `/kiosk`, from a check-in kiosk only. */
export const scanEvent = kioskEvent({
  modes: ['checkin'],
  schema: scanSchema,
  idField: 'scanId',
  run: (input, { ctx, device }) => handleScan(ctx, input, device),
});

/** validate and device mode (done by the kiosk event wrapper) → decide → persist → ack → broadcast. */
export async function handleScan(ctx: AppContext, input: ScanInput, device: Device): Promise<ScanAck> {
  const decision = decideScan(input, { state: ctx.store.state, cardSecret: ctx.cardSecret, now: ctx.clock.now(), deviceId: device.id });
  // A failed write rejects with a StoreFailedError: no ack, and the kiosk retries with the same scanId.
  await ctx.store.commit(decision.changes);
  if (decision.changed) announceAttendance(ctx, decision.changed.action, decision.changed.attendanceId);
  return withKioskPhoto(ctx, device.id, decision.ack);
}
