import { useState } from 'preact/hooks';
import type { AuditEntry } from '@protocol/model.ts';
import { query } from '../api/client.ts';
import { DataTable, type Column } from '../components/data-table.tsx';
import { ErrorNotice } from '../components/notice.tsx';
import { Page } from '../components/page.tsx';
import { useFormat } from '../format.ts';
import { useMessages } from '../i18n/index.tsx';
import { useDebounced, useResource } from '../use-resource.ts';
import { actorText, describeAudit, type AuditList } from './audit-describe.ts';

const LIMIT = 200;

/**
 * Every change, who made it and when: searchable by person, action or what was changed, within
 * chosen days, a page at a time (ten years of a center's log do not fit one table).
 */
export function AuditPage() {
  const m = useMessages();
  const format = useFormat();
  const [search, setSearch] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  // The last entry of each page read so far: the way back to newer pages.
  const [cursors, setCursors] = useState<string[]>([]);
  const q = useDebounced(search.trim(), 250);
  const before = cursors[cursors.length - 1];
  const entries = useResource<AuditList>(`/audit${query({ q, limit: LIMIT, from, to, before })}`);
  const filter = (set: (value: string) => void) => (value: string) => {
    set(value);
    setCursors([]);
  };
  const actions = m.audit.actions as Record<string, string>;
  const names = entries.data?.names ?? {};

  const columns: Column<AuditEntry>[] = [
    { key: 'at', header: m.audit.at, cell: (e) => format.dateTime(e.at) },
    { key: 'actor', header: m.audit.actor, cell: (e) => actorText(m, e, names) },
    { key: 'action', header: m.audit.action, cell: (e) => <span title={e.action}>{actions[e.action] ?? e.action}</span> },
    { key: 'summary', header: m.audit.summary, kind: 'text', cell: (e) => describeAudit(m, format, e, names) },
  ];

  return (
    <Page title={m.nav.audit} subtitle={m.audit.intro}>
      <div class="toolbar" role="search">
        <input class="toolbar__search" type="search" value={search} placeholder={m.audit.search} aria-label={m.audit.search} onInput={(event) => filter(setSearch)(event.currentTarget.value)} />
        <label class="toolbar__group">
          {m.audit.from}
          <input type="date" name="from" value={from} max={to || undefined} onInput={(event) => filter(setFrom)(event.currentTarget.value)} />
        </label>
        <label class="toolbar__group">
          {m.audit.to}
          <input type="date" name="to" value={to} min={from || undefined} onInput={(event) => filter(setTo)(event.currentTarget.value)} />
        </label>
      </div>
      <ErrorNotice error={entries.error} />
      <DataTable label={m.nav.audit} columns={columns} rows={entries.data?.items ?? []} rowKey={(e) => e.id} empty={q || from || to ? m.audit.noMatch : m.common.nothingYet} />
      <div class="toolbar">
        {cursors.length > 0 && (
          <button type="button" class="button" onClick={() => setCursors(cursors.slice(0, -1))}>
            {m.audit.newer}
          </button>
        )}
        {entries.data?.more && (
          <button type="button" class="button" onClick={() => setCursors([...cursors, entries.data!.items[entries.data!.items.length - 1]!.id])}>
            {m.audit.older}
          </button>
        )}
      </div>
    </Page>
  );
}
