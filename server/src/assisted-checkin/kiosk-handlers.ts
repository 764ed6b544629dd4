import { announceAttendance } from '../attendance/attendance-notice.ts';
import { auditChange } from '../audit.ts';
import { can } from '../protocol/roles.ts';
import type { AppContext } from '../context.ts';
import { assistedCheckInSchema, assistedSearchSchema, type AssistedCheckInResult, type AssistedPerson } from '../protocol/assisted-checkin.ts';
import { AppError } from '../protocol/errors.ts';
import type { StaffUser } from '../protocol/model.ts';
import { kioskEvent, noPayload, type KioskSocket } from '../realtime/kiosk-event.ts';
import { parsePersonQuery, phoneSearchSummary, searchesByPhone } from '../volunteers/search.ts';
import { decideAssistedCheckIn, findPeople } from './assisted-checkin.ts';

/** The staff panel of a check-in kiosk locks itself after this long without a staff action. */
export const STAFF_PANEL_IDLE_MS = 5 * 60_000;

/**
 * Remembers on the socket who opened a check-in kiosk's staff panel (`settings:unlock`), so the
 * assisted check-in events below are checked against a staff member the server verified, not
 * against what the tablet's screen shows. A reconnect or `assisted:end` forgets it.
 */
export function rememberStaffPanel(socket: KioskSocket, username: string, nowMs: number): void {
  socket.data.staffPanel = { username, lastUsedMs: nowMs };
}

/** The staff member behind this socket's open panel, still enabled and allowed to sign people in; refused otherwise. */
function panelStaff(ctx: AppContext, socket: KioskSocket): StaffUser {
  const panel = socket.data.staffPanel;
  const now = ctx.clock.now().getTime();
  if (!panel || now - panel.lastUsedMs > STAFF_PANEL_IDLE_MS) {
    socket.data.staffPanel = undefined;
    throw new AppError('FORBIDDEN', 'Open the staff panel with a staff PIN or password first', 403, { reason: 'staff-panel-locked' });
  }
  const staff = ctx.store.state.staffWithUsername(panel.username);
  if (!staff || staff.disabled || !can(staff.role, 'attendance:write')) {
    socket.data.staffPanel = undefined;
    throw new AppError('FORBIDDEN', 'This account cannot sign people in', 403, { reason: 'staff-not-allowed' });
  }
  panel.lastUsedMs = now;
  return staff;
}

/**
 * Staff-assisted check-in at a check-in kiosk (issue 12): after the staff PIN, find a person by
 * name, pinyin initials, card number or phone, and sign them in or out. The same domain as the
 * admin's (`decideAssistedCheckIn`): presence rules, the staff member's intent, and the audit
 * entry naming them; a search by phone digits is audited too.
 */
export function assistedCheckInKioskEvents(ctx: AppContext) {
  return {
    'assisted:search': kioskEvent({
      modes: ['checkin'],
      schema: assistedSearchSchema,
      run: async (input, { socket }) => {
        const staff = panelStaff(ctx, socket);
        const search = parsePersonQuery(input.q);
        const items = findPeople(ctx.store.state, search);
        if (searchesByPhone(search)) await ctx.store.commit([auditChange(ctx.clock.now(), `staff:${staff.username}`, 'volunteers.searched-by-phone', undefined, phoneSearchSummary(search, items.length))]);
        return { ok: true as const, items: items satisfies AssistedPerson[] };
      },
    }),
    'assisted:checkin': kioskEvent({
      modes: ['checkin'],
      schema: assistedCheckInSchema,
      run: async (input, { socket }) => {
        const staff = panelStaff(ctx, socket);
        const decision = decideAssistedCheckIn(ctx.store.state, input, { now: ctx.clock.now(), actor: `staff:${staff.username}`, staffName: staff.displayName });
        await ctx.store.commit(decision.changes);
        if (decision.changed) announceAttendance(ctx, decision.changed.action, decision.changed.attendanceId);
        return decision.result satisfies AssistedCheckInResult;
      },
    }),
    'assisted:end': kioskEvent({
      modes: ['checkin'],
      schema: noPayload,
      run: (_input, { socket }) => {
        socket.data.staffPanel = undefined;
        return { ok: true as const };
      },
    }),
  };
}
