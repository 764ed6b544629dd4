import { useState } from 'preact/hooks';
import { attendanceCheckoutSchema, attendanceManualSchema } from '@protocol/schemas.ts';
import { api } from '../api/client.ts';
import type { Activity } from '@protocol/model.ts';
import type { AttendanceView, VolunteerView } from '../api/types.ts';
import { DataTable, type Column } from '../components/data-table.tsx';
import { Dialog } from '../components/dialog.tsx';
import { Field, FormActions, useForm } from '../components/form.tsx';
import { ErrorNotice } from '../components/notice.tsx';
import { ReasonDialog } from '../components/reason-dialog.tsx';
import { VolunteerField } from '../components/volunteer-picker.tsx';
import { useFormat } from '../format.ts';
import { useMessages } from '../i18n/index.tsx';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';
import { fromLocalInput, toLocalInput } from '../time.ts';
import { useAction } from '../use-resource.ts';

type Action = { kind: 'checkout' | 'remove'; attendance: AttendanceView };

/**
 * Attendances with the corrections staff may make: fix a sign-out, remove with a reason, mark
 * reviewed. Each correction is a reversing ledger entry on the server, never an edit.
 */
export function AttendanceTable({ rows, show, onChanged }: { rows: AttendanceView[]; show: 'activity' | 'volunteer' | 'both'; onChanged: () => Promise<void> }) {
  const m = useMessages();
  const format = useFormat();
  const { can } = useSession();
  const [action, setAction] = useState<Action | null>(null);
  const review = useAction();
  const writable = can('attendance:write');
  const done = async () => {
    setAction(null);
    await onChanged();
  };

  const columns: Column<AttendanceView>[] = [];
  if (show !== 'activity') {
    columns.push({
      key: 'volunteer',
      header: m.attendance.volunteer,
      cell: (a) => (
        <Link to={`/volunteers/${a.volunteerId}`}>
          {a.volunteerName} <span class="muted mono">{a.cardNo}</span>
        </Link>
      ),
    });
  }
  if (show !== 'volunteer') {
    columns.push({ key: 'activity', header: m.attendance.activity, cell: (a) => <Link to={`/activities/${a.activityId}`}>{a.activityTitle}</Link> });
  }
  columns.push(
    { key: 'in', header: m.attendance.checkIn, cell: (a) => format.dateTime(a.checkInAt) },
    { key: 'out', header: m.attendance.checkOut, cell: (a) => (a.checkOutAt ? format.dateTime(a.checkOutAt) : <span class="badge badge--open">{m.attendance.onSite}</span>) },
    { key: 'hours', header: m.attendance.hours, kind: 'num', cell: (a) => (a.creditedMinutes === undefined ? '—' : format.number(a.creditedMinutes / 60)) },
    { key: 'points', header: m.attendance.points, kind: 'num', cell: (a) => (a.pointsCredited === undefined ? '—' : format.number(a.pointsCredited)) },
    {
      key: 'flags',
      header: m.attendance.flags,
      cell: (a) => (
        <span class="flags">
          {a.removed && <span class="badge badge--left" title={a.removed.reason}>{m.attendance.removed}</span>}
          {a.autoClosed && <span class="badge badge--warn">{m.attendance.autoClosed}</span>}
          {a.needsReview && !a.removed && <span class="badge badge--warn">{m.attendance.needsReview}</span>}
          {a.source === 'manual' && <span class="badge">{m.attendance.manual}</span>}
        </span>
      ),
    },
  );
  if (writable) {
    columns.push({
      key: 'actions',
      header: '',
      kind: 'actions',
      cell: (a) =>
        a.removed ? null : (
          <>
            <button class="button button--small" onClick={() => setAction({ kind: 'checkout', attendance: a })}>
              {m.attendance.fixCheckout}
            </button>
            {a.needsReview && (
              <button
                class="button button--small"
                onClick={async () => {
                  if (await review.run(() => api.post(`/attendance/${a.id}/reviewed`))) await onChanged();
                }}
              >
                {m.attendance.markReviewed}
              </button>
            )}
            <button class="button button--small button--quiet" onClick={() => setAction({ kind: 'remove', attendance: a })}>
              {m.attendance.remove}
            </button>
          </>
        ),
    });
  }

  return (
    <>
      <ErrorNotice error={review.failure} />
      <DataTable label={m.attendance.title} columns={columns} rows={rows} rowKey={(a) => a.id} empty={m.attendance.empty} rowClass={(a) => (a.removed ? 'row--removed' : a.needsReview ? 'row--flagged' : undefined)} />
      {action?.kind === 'checkout' && <FixCheckoutDialog attendance={action.attendance} onClose={() => setAction(null)} onDone={done} />}
      {action?.kind === 'remove' && (
        <ReasonDialog
          title={m.attendance.removeTitle}
          confirmLabel={m.attendance.remove}
          onClose={() => setAction(null)}
          onConfirm={async (reason) => {
            await api.post(`/attendance/${action.attendance.id}/remove`, { reason });
            await done();
          }}
        >
          <p>{m.attendance.removeWarning(action.attendance.volunteerName, action.attendance.activityTitle)}</p>
        </ReasonDialog>
      )}
    </>
  );
}

function FixCheckoutDialog({ attendance, onClose, onDone }: { attendance: AttendanceView; onClose: () => void; onDone: () => Promise<void> }) {
  const m = useMessages();
  const format = useFormat();
  const form = useForm({ checkOutAt: toLocalInput(attendance.checkOutAt ?? attendance.checkInAt, format.timeZone), reason: '' });
  return (
    <Dialog title={m.attendance.fixCheckout} onClose={onClose}>
      <form
        class="form"
        onSubmit={(event) => {
          event.preventDefault();
          const input = { checkOutAt: fromLocalInput(form.values.checkOutAt, format.timeZone) ?? '', reason: form.values.reason };
          void form.submit(attendanceCheckoutSchema, input, async (data) => {
            await api.post(`/attendance/${attendance.id}/checkout`, data);
            await onDone();
          });
        }}
      >
        <p>
          <strong>{attendance.volunteerName}</strong> · {attendance.activityTitle}
          <br />
          {m.attendance.checkIn}: {format.dateTime(attendance.checkInAt)}
        </p>
        <Field label={m.attendance.checkOut} error={form.error('checkOutAt')} hint={m.attendance.fixHint}>
          <input {...form.text('checkOutAt')} type="datetime-local" required />
        </Field>
        <Field label={m.common.reason} error={form.error('reason')} hint={m.common.reasonHint}>
          <input {...form.text('reason')} maxLength={200} placeholder={m.attendance.forgotCheckout} />
        </Field>
        <FormActions form={form} onCancel={onClose} submitLabel={m.common.save} />
      </form>
    </Dialog>
  );
}

/** A sign-in that never happened on a kiosk (no tablet that day, a forgotten card): entered by staff with a reason. */
export function AddAttendanceDialog({ activities, activityId, onClose, onDone }: { activities: Activity[]; activityId?: string; onClose: () => void; onDone: () => Promise<void> }) {
  const m = useMessages();
  const format = useFormat();
  const initialActivity = activities.find((a) => a.id === activityId) ?? activities[0];
  const form = useForm({
    volunteerId: '',
    activityId: initialActivity?.id ?? '',
    checkInAt: initialActivity ? toLocalInput(initialActivity.startsAt, format.timeZone) : '',
    checkOutAt: initialActivity ? toLocalInput(initialActivity.endsAt, format.timeZone) : '',
    reason: '',
  });
  const [chosen, setChosen] = useState<VolunteerView>();

  return (
    <Dialog title={m.attendance.add} onClose={onClose} wide>
      <form
        class="form"
        onSubmit={(event) => {
          event.preventDefault();
          const { values } = form;
          const input = {
            ...values,
            checkInAt: fromLocalInput(values.checkInAt, format.timeZone) ?? '',
            checkOutAt: fromLocalInput(values.checkOutAt, format.timeZone) ?? '',
          };
          void form.submit(attendanceManualSchema, input, async (data) => {
            await api.post('/attendance', data);
            await onDone();
          });
        }}
      >
        <VolunteerField
          label={m.attendance.volunteer}
          error={form.error('volunteerId')}
          chosen={chosen}
          autoFocus
          onChange={(volunteer) => {
            setChosen(volunteer);
            form.set('volunteerId', volunteer?.id ?? '');
          }}
        />
        <Field label={m.attendance.activity} error={form.error('activityId')}>
          <select
            value={form.values.activityId}
            onChange={(event) => {
              const activity = activities.find((a) => a.id === event.currentTarget.value);
              form.set('activityId', event.currentTarget.value);
              if (activity) {
                form.set('checkInAt', toLocalInput(activity.startsAt, format.timeZone));
                form.set('checkOutAt', toLocalInput(activity.endsAt, format.timeZone));
              }
            }}
          >
            {activities.map((a) => (
              <option key={a.id} value={a.id}>
                {format.date(a.startsAt)} {a.title}
              </option>
            ))}
          </select>
        </Field>
        <div class="form__row">
          <Field label={m.attendance.checkIn} error={form.error('checkInAt')}>
            <input {...form.text('checkInAt')} type="datetime-local" />
          </Field>
          <Field label={m.attendance.checkOut} error={form.error('checkOutAt')}>
            <input {...form.text('checkOutAt')} type="datetime-local" />
          </Field>
        </div>
        <Field label={m.common.reason} error={form.error('reason')} hint={m.common.reasonHint}>
          <input {...form.text('reason')} maxLength={200} />
        </Field>
        <FormActions form={form} onCancel={onClose} submitLabel={m.attendance.add} />
      </form>
    </Dialog>
  );
}
