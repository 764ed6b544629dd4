import { useState } from 'preact/hooks';
import type { Match, Pairing, Resident, ServiceRequest } from '@protocol/service.ts';
import { api, query } from '../api/client.ts';
import type { VolunteerView } from '../api/types.ts';
import { DataTable, type Column } from '../components/data-table.tsx';
import { Dialog } from '../components/dialog.tsx';
import { Field } from '../components/form.tsx';
import { ErrorNotice } from '../components/notice.tsx';
import { Page } from '../components/page.tsx';
import { VolunteerSearch } from '../components/volunteer-picker.tsx';
import { useFormat } from '../format.ts';
import { useSession } from '../session.tsx';
import { useAction, useResource } from '../use-resource.ts';
import { useServiceMessages } from './service-messages.ts';

/** Staff screens of organizing service (issue 13): the residents register, requests with suggestions and dispatch, pairs and visits. */

type ResidentRow = Omit<Resident, 'phone' | 'address'> & { phone?: string; address?: string };
type RequestRow = Omit<ServiceRequest, 'assignments'> & {
  resident?: { id: string; name: string; grid?: string; tags: string[] };
  assignments: (ServiceRequest['assignments'][number] & { name: string })[];
  overdue: boolean;
  unanswered: boolean;
};
type PairingRow = Pairing & {
  resident?: { id: string; name: string; grid?: string; tags: string[] };
  volunteers: { id: string; name: string }[];
  visitCount: number;
  nextDue: string;
  missed: boolean;
  ended: boolean;
};

const splitList = (text: string) => text.split(/[、，,;；\s]+/).map((s) => s.trim()).filter(Boolean);
const localInput = (iso?: string) => (iso ? new Date(Date.parse(iso) - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 16) : '');
const fromLocalInput = (value: string) => (value ? new Date(value).toISOString() : undefined);

/** The residents register as a choice, name and grid; `none` labels the empty choice. */
function ResidentSelect({ label, value, onChange, none = '—', required }: { label: string; value: string; onChange: (id: string) => void; none?: string; required?: boolean }) {
  const residents = useResource<{ items: ResidentRow[] }>('/residents?limit=500');
  return (
    <Field label={label}>
      <select name="residentId" value={value} onChange={(event) => onChange(event.currentTarget.value)} required={required}>
        <option value="">{none}</option>
        {(residents.data?.items ?? []).map((r) => <option key={r.id} value={r.id}>{r.name}{r.grid ? `（${r.grid}）` : ''}</option>)}
      </select>
    </Field>
  );
}

function TextInput({ label, value, onInput, ...rest }: { label: string; value: string; onInput: (value: string) => void; type?: string; required?: boolean; maxLength?: number; name?: string }) {
  return (
    <Field label={label}>
      <input value={value} onInput={(event) => onInput(event.currentTarget.value)} {...rest} />
    </Field>
  );
}

export function ResidentsPage() {
  const s = useServiceMessages();
  const { can } = useSession();
  const [q, setQ] = useState('');
  const residents = useResource<{ total: number; items: ResidentRow[] }>(`/residents${query({ q, limit: 500 })}`);
  const [adding, setAdding] = useState(false);
  const [shown, setShown] = useState<ResidentRow | null>(null);
  const columns: Column<ResidentRow>[] = [
    { key: 'name', header: s.residents.name, cell: (r) => <strong>{r.name}</strong> },
    { key: 'phone', header: s.residents.phone, cell: (r) => <span class="mono">{r.phone ?? '—'}</span> },
    { key: 'address', header: s.residents.address, kind: 'text', cell: (r) => r.address ?? '—' },
    { key: 'grid', header: s.residents.grid, cell: (r) => r.grid ?? '—' },
    { key: 'tags', header: s.residents.tags, kind: 'text', cell: (r) => r.tags.map((t) => <span key={t} class="badge badge--warn">{t}</span>) },
    { key: 'actions', header: '', kind: 'actions', cell: (r) => <button class="button button--small" onClick={() => setShown(r)}>{s.residents.reveal}</button> },
  ];
  return (
    <Page title={s.residents.title} actions={can('residents:write') && <button class="button button--primary" onClick={() => setAdding(true)}>{s.residents.add}</button>}>
      <Field label={s.residents.search}>
        <input type="search" value={q} onInput={(event) => setQ(event.currentTarget.value.trim())} />
      </Field>
      <ErrorNotice error={residents.error} />
      <DataTable label={s.residents.title} columns={columns} rows={residents.data?.items ?? []} rowKey={(r) => r.id} empty={s.residents.none} />
      {adding && <ResidentDialog onClose={() => setAdding(false)} onDone={async () => { setAdding(false); await residents.reload(); }} />}
      {shown && <RevealDialog resident={shown} onClose={() => setShown(null)} />}
    </Page>
  );
}

function RevealDialog({ resident, onClose }: { resident: ResidentRow; onClose: () => void }) {
  const s = useServiceMessages();
  const full = useResource<ResidentRow>(`/residents/${resident.id}?reveal=1`);
  return (
    <Dialog title={resident.name} onClose={onClose}>
      <p class="muted">{s.residents.revealHint}</p>
      <ErrorNotice error={full.error} />
      {full.data && (
        <dl class="facts">
          <dt>{s.residents.phone}</dt><dd class="mono">{full.data.phone ?? '—'}</dd>
          <dt>{s.residents.address}</dt><dd>{full.data.address ?? '—'}</dd>
          <dt>{s.residents.grid}</dt><dd>{full.data.grid ?? '—'}</dd>
          <dt>{s.residents.notes}</dt><dd>{full.data.notes ?? '—'}</dd>
        </dl>
      )}
    </Dialog>
  );
}

function ResidentDialog({ onClose, onDone }: { onClose: () => void; onDone: () => Promise<void> }) {
  const s = useServiceMessages();
  const action = useAction();
  const [v, setV] = useState({ name: '', phone: '', address: '', grid: '', tags: '', notes: '' });
  const set = (key: keyof typeof v) => (value: string) => setV({ ...v, [key]: value });
  return (
    <Dialog title={s.residents.add} onClose={onClose}>
      <form
        class="form"
        onSubmit={(event) => {
          event.preventDefault();
          void action.run(async () => {
            await api.post('/residents', { name: v.name, ...(v.phone ? { phone: v.phone } : {}), address: v.address, grid: v.grid, tags: splitList(v.tags), notes: v.notes });
            await onDone();
          });
        }}
      >
        <TextInput label={s.residents.name} name="name" value={v.name} onInput={set('name')} required maxLength={40} />
        <TextInput label={s.residents.phone} name="phone" value={v.phone} onInput={set('phone')} maxLength={11} />
        <TextInput label={s.residents.address} name="address" value={v.address} onInput={set('address')} maxLength={200} />
        <TextInput label={s.residents.grid} name="grid" value={v.grid} onInput={set('grid')} maxLength={40} />
        <TextInput label={s.residents.tags} name="tags" value={v.tags} onInput={set('tags')} />
        <TextInput label={s.residents.notes} name="notes" value={v.notes} onInput={set('notes')} />
        <ErrorNotice error={action.failure} />
        <div class="form__actions">
          <button type="submit" class="button button--primary" disabled={action.busy}>{s.residents.add}</button>
        </div>
      </form>
    </Dialog>
  );
}

function StatusBadge({ request }: { request: RequestRow }) {
  const s = useServiceMessages();
  const tone = request.status === 'cancelled' ? 'cancelled' : request.status === 'open' || request.status === 'dispatched' ? 'planned' : 'active';
  return (
    <>
      <span class={`badge badge--${tone}`}>{s.requests.statuses[request.status]}</span>
      {request.overdue && <span class="badge badge--left">{s.requests.overdue}</span>}
      {request.unanswered && <span class="badge badge--warn">{s.requests.unanswered}</span>}
    </>
  );
}

export function RequestsPage() {
  const s = useServiceMessages();
  const format = useFormat();
  const { can } = useSession();
  const [status, setStatus] = useState('');
  const requests = useResource<{ total: number; items: RequestRow[] }>(`/service-requests${query({ status, limit: 500 })}`, { pollMs: 15_000 });
  const [adding, setAdding] = useState(false);
  const [openId, setOpenId] = useState<string | null>(null);
  const columns: Column<RequestRow>[] = [
    { key: 'number', header: s.requests.number, cell: (r) => <span class="mono">{r.number}</span> },
    { key: 'category', header: s.requests.category, cell: (r) => r.category },
    { key: 'details', header: s.requests.details, kind: 'text', cell: (r) => r.details },
    { key: 'resident', header: s.requests.resident, cell: (r) => r.resident?.name ?? r.requesterName ?? '—' },
    { key: 'status', header: s.requests.status, cell: (r) => <StatusBadge request={r} /> },
    { key: 'volunteers', header: s.requests.volunteers, kind: 'text', cell: (r) => r.assignments.filter((a) => a.status !== 'declined').map((a) => a.name).join('、') || '—' },
    { key: 'created', header: s.requests.created, cell: (r) => format.dateTime(r.createdAt) },
    { key: 'actions', header: '', kind: 'actions', cell: (r) => <button class="button button--small" data-request={r.number} onClick={() => setOpenId(r.id)}>{s.requests.open}</button> },
  ];
  return (
    <Page title={s.requests.title} actions={can('requests:write') && <button class="button button--primary" onClick={() => setAdding(true)}>{s.requests.add}</button>}>
      <Field label={s.requests.filter}>
        <select value={status} onChange={(event) => setStatus(event.currentTarget.value)}>
          <option value="">{s.requests.all}</option>
          {Object.entries(s.requests.statuses).map(([key, label]) => <option key={key} value={key}>{label}</option>)}
        </select>
      </Field>
      <ErrorNotice error={requests.error} />
      <DataTable label={s.requests.title} columns={columns} rows={requests.data?.items ?? []} rowKey={(r) => r.id} empty={s.requests.none}
        rowClass={(r: RequestRow) => (r.overdue || r.unanswered ? 'row--attention' : '')} />
      {adding && <NewRequestDialog onClose={() => setAdding(false)} onDone={async (id) => { setAdding(false); await requests.reload(); setOpenId(id); }} />}
      {openId && <RequestDialog id={openId} onClose={() => { setOpenId(null); void requests.reload(); }} />}
    </Page>
  );
}

function NewRequestDialog({ onClose, onDone }: { onClose: () => void; onDone: (id: string) => Promise<void> }) {
  const s = useServiceMessages();
  const action = useAction();
  const [v, setV] = useState({ category: '', details: '', residentId: '', requesterName: '', phone: '', place: '', skills: '', grid: '', wantedAt: '' });
  const set = (key: keyof typeof v) => (value: string) => setV({ ...v, [key]: value });
  return (
    <Dialog title={s.requests.add} onClose={onClose}>
      <form
        class="form"
        onSubmit={(event) => {
          event.preventDefault();
          void action.run(async () => {
            const created = await api.post<{ id: string }>('/service-requests', {
              category: v.category, details: v.details, skills: splitList(v.skills), place: v.place, grid: v.grid, requesterName: v.requesterName,
              ...(v.residentId ? { residentId: v.residentId } : {}), ...(v.phone ? { phone: v.phone } : {}), ...(v.wantedAt ? { wantedAt: fromLocalInput(v.wantedAt) } : {}),
            });
            await onDone(created.id);
          });
        }}
      >
        <TextInput label={s.requests.category} name="category" value={v.category} onInput={set('category')} required maxLength={20} />
        <TextInput label={s.requests.details} name="details" value={v.details} onInput={set('details')} required maxLength={500} />
        <ResidentSelect label={s.requests.resident} value={v.residentId} onChange={set('residentId')} />
        <TextInput label={s.requests.requester} name="requesterName" value={v.requesterName} onInput={set('requesterName')} maxLength={40} />
        <TextInput label={s.requests.phone} name="phone" value={v.phone} onInput={set('phone')} maxLength={11} />
        <TextInput label={s.requests.place} name="place" value={v.place} onInput={set('place')} maxLength={200} />
        <TextInput label={s.requests.skills} name="skills" value={v.skills} onInput={set('skills')} />
        <TextInput label={s.residents.grid} name="grid" value={v.grid} onInput={set('grid')} maxLength={40} />
        <TextInput label={s.requests.wantedAt} name="wantedAt" type="datetime-local" value={v.wantedAt} onInput={set('wantedAt')} />
        <ErrorNotice error={action.failure} />
        <div class="form__actions">
          <button type="submit" class="button button--primary" disabled={action.busy}>{s.requests.add}</button>
        </div>
      </form>
    </Dialog>
  );
}

/** One request: who asked, the suggestions with their reasons, and the next step its status allows. */
function RequestDialog({ id, onClose }: { id: string; onClose: () => void }) {
  const s = useServiceMessages();
  const format = useFormat();
  const [reveal, setReveal] = useState(false);
  const request = useResource<RequestRow>(`/service-requests/${id}${reveal ? '?reveal=1' : ''}`);
  const r = request.data;
  const active = r && (r.status === 'open' || r.status === 'dispatched' || r.status === 'accepted');
  const matches = useResource<{ items: Match[] }>(active ? `/service-requests/${id}/matches` : null);
  const action = useAction();
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [minutes, setMinutes] = useState('60');
  const [note, setNote] = useState('');
  const [score, setScore] = useState('5');
  const [reason, setReason] = useState('');
  const [editing, setEditing] = useState(false);
  const act = (path: string, body: unknown) => action.run(async () => {
    await api.post(`/service-requests/${id}/${path}`, body);
    setPicked(new Set());
    await request.reload();
    await matches.reload();
  });
  const toggle = (volunteerId: string) => {
    const next = new Set(picked);
    if (next.has(volunteerId)) next.delete(volunteerId);
    else next.add(volunteerId);
    setPicked(next);
  };
  return (
    <Dialog title={r ? `${r.number} · ${r.category}` : '…'} onClose={onClose} wide>
      <ErrorNotice error={request.error ?? action.failure} />
      {r && (
        <>
          <p><StatusBadge request={r} /> <span class="muted">{s.requests.source[r.source]}</span></p>
          <dl class="facts">
            <dt>{s.requests.details}</dt><dd>{r.details}</dd>
            <dt>{s.requests.resident}</dt><dd>{r.resident ? `${r.resident.name} ${r.resident.tags.join('、')}` : (r.requesterName ?? '—')}</dd>
            <dt>{s.requests.phone}</dt><dd class="mono">{r.phone ?? '—'} {r.phone && !reveal && <button class="button button--small button--quiet" onClick={() => setReveal(true)}>{s.requests.revealPhone}</button>}</dd>
            <dt>{s.requests.place}</dt><dd>{r.place ?? '—'}{r.grid ? `（${r.grid}）` : ''}</dd>
            <dt>{s.requests.wantedAt}</dt><dd>{format.dateTime(r.wantedAt)}</dd>
            {r.skills.length > 0 && <><dt>{s.requests.skills}</dt><dd>{r.skills.join('、')}</dd></>}
            {r.completed && <><dt>{s.requests.minutes}</dt><dd>{r.completed.minutes} {r.completed.note ?? ''}</dd></>}
            {r.rating && <><dt>{s.requests.score5}</dt><dd>{'★'.repeat(r.rating.score)} {r.rating.comment ?? ''}</dd></>}
          </dl>
          {active && !editing && (
            <p><button class="button button--small" data-action="edit-request" onClick={() => setEditing(true)}>{s.requests.edit}</button> <span class="muted">{s.requests.editHint}</span></p>
          )}
          {active && editing && (
            <EditRequestForm request={r} onDone={async () => { setEditing(false); await request.reload(); await matches.reload(); }} onCancel={() => setEditing(false)} />
          )}
          <h3>{s.requests.assignments}</h3>
          {r.assignments.length === 0 ? <p class="muted">{s.requests.none2}</p> : (
            <ul class="plain-list">
              {r.assignments.map((a) => (
                <li key={a.volunteerId}>
                  {a.name} · {s.requests.assignment[a.status]}{a.declined ? `（${a.declined.reason}）` : ''}
                  {a.status === 'dispatched' && <button class="button button--small button--quiet" onClick={() => void act('accept', { volunteerId: a.volunteerId })}>{s.requests.acceptFor}</button>}
                </li>
              ))}
            </ul>
          )}
          {active && (
            <>
              <h3>{s.requests.suggestions}</h3>
              {(matches.data?.items.length ?? 0) === 0 ? <p class="muted">{s.requests.noSuggestions}</p> : (
                <ul class="plain-list match-list">
                  {matches.data!.items.slice(0, 8).map((match) => (
                    <li key={match.volunteerId}>
                      <label>
                        <input type="checkbox" checked={picked.has(match.volunteerId)} onChange={() => toggle(match.volunteerId)} /> <strong>{match.name}</strong>{' '}
                        <span class="badge">{s.requests.score} {match.score}</span>{' '}
                        {match.reasons.length === 0 && <span class="muted">{s.requests.noReasons}</span>}
                        {match.reasons.map((reason) => <span key={reason.kind} class="muted">{s.requests.reasons[reason.kind]} {reason.points > 0 ? '+' : ''}{reason.points}（{reason.detail}） </span>)}
                      </label>
                    </li>
                  ))}
                </ul>
              )}
              <VolunteerSearch label={s.requests.volunteers} onPick={(v: VolunteerView) => toggle(v.id)} exclude={picked} />
              <div class="form__actions">
                <button class="button button--primary" disabled={picked.size === 0 || action.busy} onClick={() => void act('dispatch', { volunteerIds: [...picked] })}>
                  {s.requests.dispatch} ({picked.size})
                </button>
              </div>
            </>
          )}
          {r.status === 'accepted' && (
            <form class="form form--inline" onSubmit={(event) => { event.preventDefault(); void act('complete', { minutes: Number(minutes), ...(note ? { note } : {}) }); }}>
              <TextInput label={s.requests.minutes} name="minutes" type="number" value={minutes} onInput={setMinutes} required />
              <TextInput label={s.requests.note} name="note" value={note} onInput={setNote} />
              <button type="submit" class="button button--primary" disabled={action.busy}>{s.requests.complete}</button>
            </form>
          )}
          {r.status === 'done' && (
            <form class="form form--inline" onSubmit={(event) => { event.preventDefault(); void act('rating', { score: Number(score), ...(note ? { comment: note } : {}) }); }}>
              <Field label={s.requests.score5}>
                <select name="score" value={score} onChange={(event) => setScore(event.currentTarget.value)}>
                  {[5, 4, 3, 2, 1].map((n) => <option key={n} value={n}>{'★'.repeat(n)}</option>)}
                </select>
              </Field>
              <TextInput label={s.requests.comment} name="comment" value={note} onInput={setNote} />
              <button type="submit" class="button button--primary" disabled={action.busy}>{s.requests.rate}</button>
            </form>
          )}
          {(active || (r.status === 'rated' && (r.rating?.score ?? 5) <= 2)) && (
            <form class="form form--inline" onSubmit={(event) => { event.preventDefault(); void act(active ? 'cancel' : 'reopen', { reason }); }}>
              <TextInput label={s.requests.reason} name="reason" value={reason} onInput={setReason} required maxLength={200} />
              <button type="submit" class="button" disabled={action.busy || !reason.trim()}>{active ? s.requests.cancel : s.requests.reopen}</button>
            </form>
          )}
          <h3>{s.requests.history}</h3>
          <ol class="plain-list">
            {r.history.map((h, index) => <li key={index}>{format.dateTime(h.at)} · {s.requests.statuses[h.status]} · {h.by}{h.note ? ` · ${h.note}` : ''}</li>)}
          </ol>
        </>
      )}
    </Dialog>
  );
}

/** What the resident said at the kiosk, completed by staff: the matching weighs only what the request records. */
function EditRequestForm({ request, onDone, onCancel }: { request: RequestRow; onDone: () => Promise<void>; onCancel: () => void }) {
  const s = useServiceMessages();
  const action = useAction();
  const [v, setV] = useState({ category: request.category, residentId: request.residentId ?? '', skills: request.skills.join('、'), grid: request.grid ?? '', place: request.place ?? '', wantedAt: localInput(request.wantedAt) });
  const set = (key: keyof typeof v) => (value: string) => setV({ ...v, [key]: value });
  return (
    <form
      class="form"
      data-form="edit-request"
      onSubmit={(event) => {
        event.preventDefault();
        void action.run(async () => {
          await api.patch(`/service-requests/${request.id}`, {
            category: v.category, skills: splitList(v.skills), grid: v.grid, place: v.place,
            ...(v.residentId ? { residentId: v.residentId } : {}), ...(v.wantedAt ? { wantedAt: fromLocalInput(v.wantedAt) } : {}),
          });
          await onDone();
        });
      }}
    >
      <TextInput label={s.requests.category} name="category" value={v.category} onInput={set('category')} required maxLength={20} />
      <TextInput label={s.requests.skills} name="skills" value={v.skills} onInput={set('skills')} />
      <TextInput label={s.residents.grid} name="grid" value={v.grid} onInput={set('grid')} maxLength={40} />
      <ResidentSelect label={s.requests.resident} value={v.residentId} onChange={set('residentId')} />
      <TextInput label={s.requests.place} name="place" value={v.place} onInput={set('place')} maxLength={200} />
      <TextInput label={s.requests.wantedAt} name="wantedAt" type="datetime-local" value={v.wantedAt} onInput={set('wantedAt')} />
      <ErrorNotice error={action.failure} />
      <div class="form__actions">
        <button type="button" class="button" onClick={onCancel}>{s.requests.cancelEdit}</button>
        <button type="submit" class="button button--primary" disabled={action.busy}>{s.requests.saveEdit}</button>
      </div>
    </form>
  );
}

export function PairingsPage() {
  const s = useServiceMessages();
  const format = useFormat();
  const { can } = useSession();
  const pairings = useResource<{ items: PairingRow[] }>('/pairings');
  const [adding, setAdding] = useState(false);
  const [visiting, setVisiting] = useState<PairingRow | null>(null);
  const columns: Column<PairingRow>[] = [
    { key: 'resident', header: s.pairings.resident, cell: (p) => <strong>{p.resident?.name ?? '—'}</strong> },
    { key: 'volunteers', header: s.pairings.volunteers, kind: 'text', cell: (p) => p.volunteers.map((v) => v.name).join('、') },
    { key: 'every', header: s.pairings.every, kind: 'num', cell: (p) => p.visitEveryDays },
    { key: 'visits', header: s.pairings.visits, kind: 'num', cell: (p) => p.visitCount },
    { key: 'next', header: s.pairings.nextDue, cell: (p) => <>{format.date(p.nextDue)} {p.missed && <span class="badge badge--left">{s.pairings.missed}</span>}</> },
    { key: 'actions', header: '', kind: 'actions', cell: (p) => can('residents:write') && <button class="button button--small" onClick={() => setVisiting(p)}>{s.pairings.recordVisit}</button> },
  ];
  return (
    <Page title={s.pairings.title} actions={can('residents:write') && <button class="button button--primary" onClick={() => setAdding(true)}>{s.pairings.add}</button>}>
      <ErrorNotice error={pairings.error} />
      <DataTable label={s.pairings.title} columns={columns} rows={pairings.data?.items ?? []} rowKey={(p) => p.id} empty={s.pairings.none}
        rowClass={(p: PairingRow) => (p.missed ? 'row--attention' : '')} />
      {adding && <PairingDialog onClose={() => setAdding(false)} onDone={async () => { setAdding(false); await pairings.reload(); }} />}
      {visiting && <VisitDialog pairing={visiting} onClose={() => setVisiting(null)} onDone={async () => { setVisiting(null); await pairings.reload(); }} />}
    </Page>
  );
}

function VolunteerChooser({ chosen, onChange }: { chosen: { id: string; name: string }[]; onChange: (next: { id: string; name: string }[]) => void }) {
  const s = useServiceMessages();
  return (
    <>
      <p>{chosen.map((v) => <button type="button" key={v.id} class="button button--small button--quiet" onClick={() => onChange(chosen.filter((c) => c.id !== v.id))}>{v.name} ✕</button>)}</p>
      <VolunteerSearch label={s.pairings.volunteers} exclude={new Set(chosen.map((v) => v.id))} onPick={(v: VolunteerView) => onChange([...chosen, { id: v.id, name: v.name }])} />
    </>
  );
}

function PairingDialog({ onClose, onDone }: { onClose: () => void; onDone: () => Promise<void> }) {
  const s = useServiceMessages();
  const action = useAction();
  const [residentId, setResidentId] = useState('');
  const [every, setEvery] = useState('7');
  const [chosen, setChosen] = useState<{ id: string; name: string }[]>([]);
  return (
    <Dialog title={s.pairings.add} onClose={onClose}>
      <form class="form" onSubmit={(event) => {
        event.preventDefault();
        void action.run(async () => {
          await api.post('/pairings', { residentId, volunteerIds: chosen.map((v) => v.id), visitEveryDays: Number(every) });
          await onDone();
        });
      }}>
        <ResidentSelect label={s.pairings.resident} value={residentId} onChange={setResidentId} none={s.pairings.pickResident} required />
        <VolunteerChooser chosen={chosen} onChange={setChosen} />
        <TextInput label={s.pairings.every} name="every" type="number" value={every} onInput={setEvery} required />
        <ErrorNotice error={action.failure} />
        <div class="form__actions"><button type="submit" class="button button--primary" disabled={action.busy || chosen.length === 0 || !residentId}>{s.pairings.add}</button></div>
      </form>
    </Dialog>
  );
}

function VisitDialog({ pairing, onClose, onDone }: { pairing: PairingRow; onClose: () => void; onDone: () => Promise<void> }) {
  const s = useServiceMessages();
  const action = useAction();
  const [chosen, setChosen] = useState(pairing.volunteers);
  const [startedAt, setStartedAt] = useState(localInput(new Date(Date.now() - 3600_000).toISOString()));
  const [minutes, setMinutes] = useState('60');
  const [note, setNote] = useState('');
  const [concern, setConcern] = useState('');
  return (
    <Dialog title={`${s.pairings.recordVisit} · ${pairing.resident?.name ?? ''}`} onClose={onClose}>
      <form class="form" onSubmit={(event) => {
        event.preventDefault();
        void action.run(async () => {
          await api.post(`/pairings/${pairing.id}/visits`, { volunteerIds: chosen.map((v) => v.id), startedAt: fromLocalInput(startedAt), minutes: Number(minutes), note, concern });
          await onDone();
        });
      }}>
        <VolunteerChooser chosen={chosen} onChange={setChosen} />
        <TextInput label={s.pairings.startedAt} name="startedAt" type="datetime-local" value={startedAt} onInput={setStartedAt} required />
        <TextInput label={s.pairings.minutes} name="minutes" type="number" value={minutes} onInput={setMinutes} required />
        <TextInput label={s.pairings.note} name="note" value={note} onInput={setNote} />
        <TextInput label={s.pairings.concern} name="concern" value={concern} onInput={setConcern} />
        <ErrorNotice error={action.failure} />
        <div class="form__actions"><button type="submit" class="button button--primary" disabled={action.busy || chosen.length === 0}>{s.pairings.recordVisit}</button></div>
      </form>
    </Dialog>
  );
}
