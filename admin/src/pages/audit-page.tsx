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

const LIMIT = 500;

/** Every change, who made it and when: searchable by person, action or what was changed. */
export function AuditPage() {
  const m = useMessages();
  const format = useFormat();
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 250);
  const entries = useResource<AuditList>(`/audit${query({ q, limit: LIMIT })}`);
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
        <input class="toolbar__search" type="search" value={search} placeholder={m.audit.search} aria-label={m.audit.search} onInput={(event) => setSearch(event.currentTarget.value)} />
      </div>
      <ErrorNotice error={entries.error} />
      <DataTable label={m.nav.audit} columns={columns} rows={entries.data?.items ?? []} rowKey={(e) => e.id} empty={q ? m.audit.noMatch : m.common.nothingYet} />
      {entries.data?.items.length === LIMIT && <p class="muted">{m.audit.limited(LIMIT)}</p>}
    </Page>
  );
}
