import type { AppContext } from '../context.ts';
import type { ScanAck } from '../protocol/events.ts';
import type { Device } from '../protocol/model.ts';
import type { ScanInput } from '../protocol/schemas.ts';
import { AppError } from '../protocol/errors.ts';
import { announceAttendance } from './attendance-notice.ts';
import { decideScan } from './scan-rules.ts';

/** validate (done by the caller) → decide → persist → ack → broadcast. */
export async function handleScan(ctx: AppContext, input: ScanInput, device: Device): Promise<ScanAck> {
  if (device.mode !== 'checkin') throw new AppError('DEVICE_MODE_FORBIDDEN', 'This tablet is not a sign-in kiosk', 403);
  const decision = decideScan(input, { state: ctx.store.state, cardSecret: ctx.cardSecret, now: ctx.clock.now(), deviceId: device.id });
  try {
    await ctx.store.commit(decision.changes);
  } catch (error) {
    throw Object.assign(error as Error, { storeFailure: true });
  }
  if (decision.changed) announceAttendance(ctx, decision.changed.action, decision.changed.attendanceId);
  return decision.ack;
}
