import { useState } from 'preact/hooks';
import { api } from '../api/client.ts';
import type { DigitLockList, DigitLockView } from '../api/types.ts';
import { DataTable, type Column } from '../components/data-table.tsx';
import { Dialog } from '../components/dialog.tsx';
import { ErrorNotice } from '../components/notice.tsx';
import { useFormat } from '../format.ts';
import { useMessages } from '../i18n/index.tsx';
import { useLiveRefresh } from '../live-feed.ts';
import { useAction, useResource } from '../use-resource.ts';

/**
 * Card numbers and tablets locked after wrong phone digits at the kiosks. The volunteer is asked
 * to see staff; staff check who they are in person and lift the lock here (audited). A lock-out
 * starting or lifted elsewhere arrives over the live feed.
 */
export function DigitLocksPanel() {
  const m = useMessages();
  const format = useFormat();
  const locks = useResource<DigitLockList>('/digit-locks');
  useLiveRefresh(['devices:changed'], () => void locks.reload());
  const [asked, setAsked] = useState<DigitLockView>();
  const [lifted, setLifted] = useState<string>();
  const action = useAction();
  const limits = locks.data?.limits;

  const lift = (lock: DigitLockView) =>
    action.run(async () => {
      setAsked(undefined);
      await api.post('/digit-locks/clear', { kind: lock.kind, key: lock.key });
      setLifted(lock.label);
      await locks.reload();
    });

  const columns: Column<DigitLockView>[] = [
    { key: 'kind', header: m.devices.lockKind, cell: (l) => m.devices.lockKinds[l.kind] },
    { key: 'who', header: m.devices.lockWho, cell: (l) => (l.kind === 'card' ? <strong>{l.label}</strong> : '—') },
    { key: 'device', header: m.devices.lockDevice, cell: (l) => l.deviceName ?? '—' },
    { key: 'lockedAt', header: m.devices.lockedAt, cell: (l) => format.dateTime(l.lockedAt) },
    { key: 'until', header: m.devices.lockedUntil, cell: (l) => format.dateTime(l.until) },
    {
      key: 'actions',
      header: '',
      kind: 'actions',
      cell: (l) => (
        <button class="button button--small" onClick={() => setAsked(l)}>
          {m.devices.unlock}
        </button>
      ),
    },
  ];

  return (
    <section class="panel digit-locks" aria-labelledby="digit-locks-title">
      <h2 id="digit-locks-title">{m.devices.locksTitle}</h2>
      {limits && <p class="muted">{m.devices.locksIntro(limits.perCard, limits.perDevice, Math.round(limits.lockMs / 60_000))}</p>}
      <ErrorNotice error={action.failure ?? locks.error} />
      {lifted && (
        <p class="notice notice--ok" role="status">
          {m.devices.unlocked(lifted)}
        </p>
      )}
      <DataTable label={m.devices.locksTitle} columns={columns} rows={locks.data?.items ?? []} rowKey={(l) => `${l.kind}:${l.key}`} empty={m.devices.locksNone} />
      {asked && (
        <Dialog title={m.devices.unlock} onClose={() => setAsked(undefined)}>
          <p>{m.devices.unlockConfirm(asked.kind === 'card' ? asked.label : (asked.deviceName ?? asked.label))}</p>
          <div class="form__actions">
            <button class="button" onClick={() => setAsked(undefined)}>
              {m.common.cancel}
            </button>
            <button class="button button--primary" disabled={action.busy} onClick={() => void lift(asked)}>
              {m.devices.unlock}
            </button>
          </div>
        </Dialog>
      )}
    </section>
  );
}
