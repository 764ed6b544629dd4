import { useState } from 'preact/hooks';
import type { VolunteerStatus } from '@protocol/model.ts';
import { query } from '../api/client.ts';
import type { Items, Page as ListPage, TeamView, VolunteerView } from '../api/types.ts';
import { DataTable, type Column } from '../components/data-table.tsx';
import { ErrorNotice } from '../components/notice.tsx';
import { Page } from '../components/page.tsx';
import { STAR_LEVELS, Stars } from '../components/stars.tsx';
import { useFormat } from '../format.ts';
import { useMessages } from '../i18n/index.tsx';
import { Link, navigate } from '../router.tsx';
import { useSession } from '../session.tsx';
import { useDebounced, useResource } from '../use-resource.ts';
import { VolunteerFormDialog } from './volunteer-form.tsx';

const PAGE_SIZE = 50;
/** The star filter runs in the browser (the list API has no star parameter), so it looks at this many at once. */
const STAR_FILTER_WINDOW = 500;

export function VolunteerListPage() {
  const m = useMessages();
  const format = useFormat();
  const { can } = useSession();
  const [search, setSearch] = useState('');
  const [teamId, setTeamId] = useState('');
  const [status, setStatus] = useState<VolunteerStatus | ''>('');
  const [stars, setStars] = useState('');
  const [offset, setOffset] = useState(0);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [creating, setCreating] = useState(false);
  const q = useDebounced(search.trim(), 200);
  const starFilter = stars === '' ? undefined : Number(stars);

  const list = useResource<ListPage<VolunteerView>>(
    `/volunteers${query({ q, teamId, status, limit: starFilter === undefined ? PAGE_SIZE : STAR_FILTER_WINDOW, offset: starFilter === undefined ? offset : 0 })}`,
  );
  const teams = useResource<Items<TeamView>>('/teams');
  const rows = (list.data?.items ?? []).filter((v) => starFilter === undefined || v.stars === starFilter);
  const total = starFilter === undefined ? (list.data?.total ?? 0) : rows.length;
  const resetPaging = <T,>(setter: (value: T) => void) => (value: T) => {
    setter(value);
    setOffset(0);
  };

  const columns: Column<VolunteerView>[] = [
    { key: 'cardNo', header: m.volunteers.cardNo, cell: (v) => <span class="mono">{v.cardNo}</span> },
    { key: 'name', header: m.volunteers.name, cell: (v) => <Link to={`/volunteers/${v.id}`}>{v.name}</Link> },
    { key: 'phone', header: m.volunteers.phone, cell: (v) => <span class="mono">{v.phone ?? '—'}</span> },
    { key: 'teams', header: m.volunteers.teams, cell: (v) => v.teamNames.filter(Boolean).join('、') || '—' },
    { key: 'hours', header: m.volunteers.hours, kind: 'num', cell: (v) => format.number(v.hours) },
    { key: 'points', header: m.volunteers.points, kind: 'num', cell: (v) => format.number(v.points) },
    { key: 'stars', header: m.volunteers.stars, cell: (v) => <Stars value={v.stars} /> },
    { key: 'status', header: m.volunteers.status, cell: (v) => <span class={`badge badge--${v.status}`}>{m.volunteerStatus[v.status]}</span> },
  ];

  return (
    <Page
      title={m.nav.volunteers}
      actions={
        <>
          {can('volunteers:write') && (
            <>
              <button class="button button--primary" onClick={() => setCreating(true)}>
                {m.volunteers.register}
              </button>
              <Link class="button" to="/volunteers/import">
                {m.volunteers.importRegister}
              </Link>
            </>
          )}
          <button class="button" disabled={selected.size === 0} onClick={() => navigate(`/print?ids=${[...selected].join(',')}`)}>
            {m.volunteers.printSelected(selected.size)}
          </button>
          <Link class="button" to="/print?all=1">
            {m.volunteers.printAll}
          </Link>
          <Link class="button" to="/print?unprinted=1">
            {m.volunteers.printUnprinted}
          </Link>
          {can('exports:personal') && (
            // The filters narrow the export as they narrow the list (the star filter is the browser's alone); audited on the server.
            <a class="button" href={`/api/exports/volunteers.xlsx${query({ status, teamId })}`} download title={m.volunteers.exportHint}>
              {m.volunteers.exportRegister}
            </a>
          )}
        </>
      }
    >
      <div class="toolbar" role="search">
        <input
          class="toolbar__search"
          type="search"
          placeholder={m.volunteers.searchPlaceholder}
          aria-label={m.volunteers.searchPlaceholder}
          value={search}
          onInput={(event) => resetPaging(setSearch)(event.currentTarget.value)}
        />
        <select aria-label={m.volunteers.teams} value={teamId} onChange={(event) => resetPaging(setTeamId)(event.currentTarget.value)}>
          <option value="">{m.volunteers.allTeams}</option>
          {teams.data?.items.map((team) => (
            <option key={team.id} value={team.id}>
              {team.name}
            </option>
          ))}
        </select>
        <select aria-label={m.volunteers.status} value={status} onChange={(event) => resetPaging(setStatus)(event.currentTarget.value as VolunteerStatus | '')}>
          <option value="">{m.volunteers.allStatuses}</option>
          {(['active', 'suspended', 'left'] as const).map((value) => (
            <option key={value} value={value}>
              {m.volunteerStatus[value]}
            </option>
          ))}
        </select>
        <select aria-label={m.volunteers.stars} value={stars} onChange={(event) => resetPaging(setStars)(event.currentTarget.value)}>
          <option value="">{m.volunteers.allStars}</option>
          {Array.from({ length: STAR_LEVELS + 1 }, (_, level) => (
            <option key={level} value={level}>
              {m.volunteers.starLevel(level)}
            </option>
          ))}
        </select>
      </div>
      <ErrorNotice error={list.error} />
      <p class="muted" aria-live="polite">
        {list.loading && !list.data ? m.common.loading : m.volunteers.count(total)}
      </p>
      <DataTable
        label={m.nav.volunteers}
        columns={columns}
        rows={rows}
        rowKey={(v) => v.id}
        selection={{ selected, onChange: setSelected }}
        empty={q || teamId || status || stars ? m.volunteers.noMatch : m.volunteers.empty}
      />
      {starFilter === undefined && total > PAGE_SIZE && (
        <div class="pager">
          <button class="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}>
            {m.common.previous}
          </button>
          <span>{m.common.range(offset + 1, Math.min(offset + PAGE_SIZE, total), total)}</span>
          <button class="button" disabled={offset + PAGE_SIZE >= total} onClick={() => setOffset(offset + PAGE_SIZE)}>
            {m.common.next}
          </button>
        </div>
      )}
      {creating && (
        <VolunteerFormDialog
          teams={teams.data?.items ?? []}
          onClose={() => setCreating(false)}
          onSaved={(volunteer) => {
            setCreating(false);
            navigate(`/volunteers/${volunteer.id}`);
          }}
        />
      )}
    </Page>
  );
}
