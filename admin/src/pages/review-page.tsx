import { useState } from 'preact/hooks';
import { query } from '../api/client.ts';
import type { ActivityView, AttendanceView, Items } from '../api/types.ts';
import { ErrorNotice } from '../components/notice.tsx';
import { Page } from '../components/page.tsx';
import { useFormat } from '../format.ts';
import { useMessages } from '../i18n/index.tsx';
import { useSession } from '../session.tsx';
import { addDays, dayIn } from '../time.ts';
import { useResource } from '../use-resource.ts';
import { AddAttendanceDialog, AttendanceTable } from './attendance-table.tsx';

/** How far back a missed attendance is usually entered: last month's paper sign-in sheets. */
const ADD_WINDOW_DAYS = 45;

/** Everything that needs a look: sign-ins the server closed by itself at an activity's end. */
export function ReviewPage() {
  const m = useMessages();
  const format = useFormat();
  const { can } = useSession();
  const queue = useResource<Items<AttendanceView>>('/attendance/review');
  const today = dayIn(new Date(), format.timeZone);
  const [adding, setAdding] = useState(false);
  const recent = useResource<Items<ActivityView>>(adding ? `/activities${query({ from: addDays(today, -ADD_WINDOW_DAYS), to: addDays(today, 1) })}` : null);
  const rows = [...(queue.data?.items ?? [])].sort((a, b) => b.checkInAt.localeCompare(a.checkInAt));

  return (
    <Page
      title={m.nav.review}
      subtitle={m.review.intro}
      actions={
        can('attendance:write') && (
          <button class="button button--primary" onClick={() => setAdding(true)}>
            {m.attendance.add}
          </button>
        )
      }
    >
      <ErrorNotice error={queue.error} />
      <p class="muted" aria-live="polite">
        {queue.data ? m.review.count(rows.length) : m.common.loading}
      </p>
      <AttendanceTable rows={rows} show="both" onChanged={queue.reload} />
      {adding && recent.data && (
        <AddAttendanceDialog
          activities={[...recent.data.items].reverse()}
          onClose={() => setAdding(false)}
          onDone={async () => {
            setAdding(false);
            await queue.reload();
          }}
        />
      )}
      <ErrorNotice error={recent.error} />
    </Page>
  );
}
