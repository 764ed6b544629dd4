import { useState } from 'preact/hooks';
import { teamCreateSchema, teamUpdateSchema } from '@protocol/schemas.ts';
import { api, query } from '../api/client.ts';
import type { Items, Page as ListPage, TeamView, VolunteerView } from '../api/types.ts';
import { DataTable, type Column } from '../components/data-table.tsx';
import { Dialog } from '../components/dialog.tsx';
import { Field, FormActions, FormFailure, useForm } from '../components/form.tsx';
import { ErrorNotice } from '../components/notice.tsx';
import { Page } from '../components/page.tsx';
import { VolunteerSearch } from '../components/volunteer-picker.tsx';
import { useFormat } from '../format.ts';
import { useMessages } from '../i18n/index.tsx';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';
import { useAction, useResource } from '../use-resource.ts';
import { HoursChart } from './hours-chart.tsx';

/** Service teams (服务队) with their leaders and members. */
export function TeamsPage() {
  const m = useMessages();
  const format = useFormat();
  const { can } = useSession();
  const teams = useResource<Items<TeamView>>('/teams');
  const [editing, setEditing] = useState<TeamView | 'new' | null>(null);
  const writable = can('volunteers:write');

  const columns: Column<TeamView>[] = [
    { key: 'name', header: m.teams.name, cell: (t) => <strong>{t.name}</strong> },
    { key: 'members', header: m.teams.members, kind: 'num', cell: (t) => t.memberCount },
    { key: 'leaders', header: m.teams.leaders, cell: (t) => (t.leaders ? t.leaders.map((leader) => leader.name).join('、') || '—' : t.leaderIds.length) },
    { key: 'created', header: m.teams.created, cell: (t) => format.date(t.createdAt) },
  ];
  if (writable) {
    columns.push({
      key: 'actions',
      header: '',
      kind: 'actions',
      cell: (t) => (
        <button class="button button--small" onClick={() => setEditing(t)}>
          {m.teams.manage}
        </button>
      ),
    });
  }

  return (
    <Page
      title={m.nav.teams}
      actions={
        writable && (
          <button class="button button--primary" onClick={() => setEditing('new')}>
            {m.teams.create}
          </button>
        )
      }
    >
      <ErrorNotice error={teams.error} />
      <DataTable label={m.nav.teams} columns={columns} rows={teams.data?.items ?? []} rowKey={(t) => t.id} empty={m.teams.none} />
      {editing === 'new' && (
        <NewTeamDialog
          onClose={() => setEditing(null)}
          onDone={async () => {
            setEditing(null);
            await teams.reload();
          }}
        />
      )}
      {editing && editing !== 'new' && (
        <TeamDialog
          team={editing}
          onClose={() => {
            setEditing(null);
            void teams.reload();
          }}
        />
      )}
    </Page>
  );
}

function NewTeamDialog({ onClose, onDone }: { onClose: () => void; onDone: () => Promise<void> }) {
  const m = useMessages();
  const form = useForm({ name: '' });
  return (
    <Dialog title={m.teams.create} onClose={onClose}>
      <form
        class="form"
        onSubmit={(event) => {
          event.preventDefault();
          void form.submit(teamCreateSchema, form.values, async (input) => {
            await api.post('/teams', input);
            await onDone();
          });
        }}
      >
        <Field label={m.teams.name} error={form.error('name')}>
          <input {...form.text('name')} maxLength={40} autoFocus />
        </Field>
        <FormActions form={form} onCancel={onClose} submitLabel={m.teams.create} />
      </form>
    </Dialog>
  );
}

/** Rename, choose leaders among the members, add and remove members (a member's teams live on the volunteer). */
function TeamDialog({ team, onClose }: { team: TeamView; onClose: () => void }) {
  const m = useMessages();
  const [current, setCurrent] = useState(team);
  const members = useResource<ListPage<VolunteerView>>(`/volunteers${query({ teamId: team.id, limit: 500 })}`);
  const action = useAction();
  const form = useForm({ name: team.name });

  const run = async (change: () => Promise<unknown>) => {
    if (await action.run(change)) await members.reload();
  };
  const updateTeam = (patch: { name?: string; leaderIds?: string[] }) => run(async () => setCurrent(await api.patch<TeamView>(`/teams/${team.id}`, patch)));
  const setMembership = (volunteer: VolunteerView, member: boolean) =>
    run(async () => {
      const teamIds = member ? [...new Set([...volunteer.teamIds, team.id])] : volunteer.teamIds.filter((id) => id !== team.id);
      await api.patch(`/volunteers/${volunteer.id}`, { teamIds });
      if (!member && current.leaderIds.includes(volunteer.id)) await updateTeam({ leaderIds: current.leaderIds.filter((id) => id !== volunteer.id) });
    });

  const memberIds = new Set(members.data?.items.map((v) => v.id));
  const columns: Column<VolunteerView>[] = [
    { key: 'name', header: m.volunteers.name, cell: (v) => <Link to={`/volunteers/${v.id}`}>{v.name}</Link> },
    { key: 'cardNo', header: m.volunteers.cardNo, cell: (v) => <span class="mono">{v.cardNo}</span> },
    {
      key: 'leader',
      header: m.teams.leader,
      cell: (v) => (
        <input
          type="checkbox"
          aria-label={m.teams.leader}
          checked={current.leaderIds.includes(v.id)}
          onChange={(event) =>
            void updateTeam({ leaderIds: event.currentTarget.checked ? [...current.leaderIds, v.id] : current.leaderIds.filter((id) => id !== v.id) })
          }
        />
      ),
    },
    {
      key: 'actions',
      header: '',
      kind: 'actions',
      cell: (v) => (
        <button class="button button--small button--quiet" onClick={() => void setMembership(v, false)}>
          {m.teams.removeMember}
        </button>
      ),
    },
  ];

  return (
    <Dialog title={current.name} onClose={onClose} wide>
      <form
        class="form form--inline"
        onSubmit={(event) => {
          event.preventDefault();
          void form.submit(teamUpdateSchema, form.values, async (input) => updateTeam(input));
        }}
      >
        <Field label={m.teams.name} error={form.error('name')}>
          <input {...form.text('name')} maxLength={40} />
        </Field>
        <button type="submit" class="button" disabled={form.busy || form.values.name.trim() === current.name}>
          {m.teams.rename}
        </button>
      </form>
      <FormFailure form={form} />
      <ErrorNotice error={action.failure ?? members.error} />
      <h3>{m.teams.members}</h3>
      <DataTable label={m.teams.members} columns={columns} rows={members.data?.items ?? []} rowKey={(v) => v.id} empty={m.teams.noMembers} />
      <VolunteerSearch label={m.teams.addMember} exclude={memberIds} onPick={(v) => void setMembership(v, true)} />
      <HoursChart filter={{ teamId: team.id }} title={m.volunteers.hoursChart} />
    </Dialog>
  );
}
