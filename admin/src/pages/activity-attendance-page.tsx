import { useState } from 'preact/hooks';
import type { Activity } from '@protocol/model.ts';
import type { AttendanceView, Items, TeamView } from '../api/types.ts';
import { ErrorNotice, Loading } from '../components/notice.tsx';
import { Page } from '../components/page.tsx';
import { useFormat } from '../format.ts';
import { useMessages } from '../i18n/index.tsx';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';
import { useResource } from '../use-resource.ts';
import { ActivityActions, ActivityBadge } from './activities-page.tsx';
import { ActivityFormDialog, DuplicateActivityDialog } from './activity-form.tsx';
import { SeriesBadge } from './activity-series.tsx';
import { AddAttendanceDialog, AttendanceTable } from './attendance-table.tsx';
import { SignupPanel } from './signup-panel.tsx';
import { GatePassPanel } from '../organizing/gate-pass-panel.tsx';

/** One activity: who signed in and out, with the corrections staff make afterwards. */
export function ActivityAttendancePage({ params }: { params: Record<string, string> }) {
  const m = useMessages();
  const format = useFormat();
  const { can } = useSession();
  const id = params.id!;
  const activity = useResource<Activity>(`/activities/${id}`);
  // A viewer sees the plan but not who came: attendance names people, which is the register's data.
  const attendance = useResource<Items<AttendanceView>>(can('volunteers:read') ? `/activities/${id}/attendance` : null);
  const teams = useResource<Items<TeamView>>('/teams');
  const [dialog, setDialog] = useState<'edit' | 'duplicate' | 'add' | null>(null);

  if (activity.error) return <ErrorNotice error={activity.error} />;
  const a = activity.data;
  if (!a) return <Loading />;
  const rows = attendance.data?.items ?? [];
  const onSite = rows.filter((r) => !r.checkOutAt && !r.removed).length;
  const reload = async () => {
    setDialog(null);
    await Promise.all([activity.reload(), attendance.reload()]);
  };
  const teamNames = a.teamIds.map((t) => teams.data?.items.find((team) => team.id === t)?.name).filter(Boolean);

  return (
    <Page
      title={
        <>
          {a.title} <ActivityBadge activity={a} /> <SeriesBadge activity={a} />
        </>
      }
      subtitle={
        <>
          <Link to="/activities">← {m.nav.activities}</Link> · {format.dateTime(a.startsAt)}–{format.time(a.endsAt)}
          {a.place && ` · ${a.place}`}
          {a.organizer && ` · ${a.organizer}`}
          {teamNames.length > 0 && ` · ${teamNames.join('、')}`}
        </>
      }
      actions={
        can('activities:write') && (
          <ActivityActions activity={a} onChanged={reload} onEdit={() => setDialog('edit')} onDuplicate={() => setDialog('duplicate')} />
        )
      }
    >
      {can('volunteers:read') && (
        <>
          <div class="toolbar">
            <span>{m.activities.summary(rows.filter((r) => !r.removed).length, onSite)}</span>
            {can('attendance:write') && (
              <button class="button button--primary" onClick={() => setDialog('add')}>
                {m.attendance.add}
              </button>
            )}
          </div>
          <ErrorNotice error={attendance.error} />
          <AttendanceTable rows={rows} show="volunteer" onChanged={reload} />
          <SignupPanel activity={a} />
          <GatePassPanel activity={a} />
        </>
      )}
      {dialog === 'edit' && <ActivityFormDialog activity={a} teams={teams.data?.items ?? []} onClose={() => setDialog(null)} onSaved={reload} />}
      {dialog === 'duplicate' && <DuplicateActivityDialog activity={a} onClose={() => setDialog(null)} onSaved={reload} />}
      {dialog === 'add' && <AddAttendanceDialog activities={[a]} activityId={a.id} onClose={() => setDialog(null)} onDone={reload} />}
    </Page>
  );
}
