import { useState } from 'preact/hooks';
import type { PhoneView } from '@protocol/me.ts';
import { api } from '../api/client.ts';
import type { Items } from '../api/types.ts';
import { DataTable, type Column } from '../components/data-table.tsx';
import { Dialog } from '../components/dialog.tsx';
import { ErrorNotice, Loading } from '../components/notice.tsx';
import { useFormat } from '../format.ts';
import { useMessages } from '../i18n/index.tsx';
import { useSession } from '../session.tsx';
import { useAction, useResource } from '../use-resource.ts';

/**
 * The phones holding this volunteer's /me/ session (made at a kiosk with 用手机查看): when each was
 * linked and last used, and a way to cut one off (a lost phone, a phone handed on). Reissuing
 * the card cuts off all of them.
 */
export function VolunteerPhones({ volunteerId }: { volunteerId: string }) {
  const m = useMessages();
  const p = m.phones;
  const format = useFormat();
  const { can } = useSession();
  const phones = useResource<Items<PhoneView>>(`/volunteers/${volunteerId}/phones`);
  const action = useAction();
  const [revoking, setRevoking] = useState<PhoneView | null>(null);

  const columns: Column<PhoneView>[] = [
    {
      key: 'label',
      header: p.label,
      kind: 'text',
      cell: (phone) => (
        <>
          {phone.label}
          <div class="muted">{p.validUntil(format.date(phone.expiresAt))}</div>
        </>
      ),
    },
    { key: 'linked', header: p.linkedAt, cell: (phone) => format.dateTime(phone.createdAt) },
    { key: 'used', header: p.lastSeenAt, cell: (phone) => format.dateTime(phone.lastSeenAt) },
    { key: 'state', header: p.state, cell: (phone) => <span class={`badge phone-state phone-state--${phone.state}`}>{p.states[phone.state]}</span> },
    {
      key: 'actions',
      header: '',
      kind: 'actions',
      cell: (phone) =>
        phone.state === 'active' &&
        can('volunteers:write') && (
          <button class="button button--small button--danger" data-testid="phone-revoke" onClick={() => setRevoking(phone)}>
            {p.revoke}
          </button>
        ),
    },
  ];

  return (
    <section class="panel" data-testid="phones">
      <header class="panel__header">
        <h2>{p.title}</h2>
      </header>
      <p class="muted">{p.intro}</p>
      <ErrorNotice error={phones.error ?? action.failure} />
      {phones.data ? <DataTable label={p.title} columns={columns} rows={phones.data.items} rowKey={(phone) => phone.handle} empty={p.none} /> : !phones.error && <Loading />}
      {revoking && (
        <Dialog title={p.revokeTitle(revoking.label)} onClose={() => setRevoking(null)}>
          <p>{p.revokeWarning}</p>
          <div class="form__actions">
            <button class="button" onClick={() => setRevoking(null)}>
              {m.common.cancel}
            </button>
            <button
              class="button button--danger"
              data-testid="phone-revoke-confirm"
              disabled={action.busy}
              onClick={() =>
                void action
                  .run(() => api.post(`/volunteers/${volunteerId}/phones/${encodeURIComponent(revoking.handle)}/revoke`))
                  .then(async (ok) => {
                    setRevoking(null);
                    if (ok) await phones.reload();
                  })
              }
            >
              {p.revoke}
            </button>
          </div>
        </Dialog>
      )}
    </section>
  );
}
