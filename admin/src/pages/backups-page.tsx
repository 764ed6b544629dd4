import { useState } from 'preact/hooks';
import { api } from '../api/client.ts';
import type { BackupEntry, BackupList, CreatedBackup } from '../api/types.ts';
import { DataTable, type Column } from '../components/data-table.tsx';
import { ErrorNotice, Loading } from '../components/notice.tsx';
import { Page } from '../components/page.tsx';
import { useFormat } from '../format.ts';
import { useMessages } from '../i18n/index.tsx';
import { useAction, useResource } from '../use-resource.ts';

/** Waits for the server to go away and come back (bounded: about two minutes). */
async function waitForRestart(): Promise<void> {
  let wentAway = false;
  for (let attempt = 0; attempt < 120; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const up = await fetch('/api/health', { cache: 'no-store' }).then((r) => r.ok, () => false);
    if (!up) wentAway = true;
    else if (wentAway) return;
  }
}

function fileSize(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * Backups (admin only: a backup holds everyone's personal data): the daily ones, one made now,
 * a download for a USB stick, and a restore, which the server carries out as it starts again.
 */
export function BackupsPage() {
  const m = useMessages();
  const format = useFormat();
  const backups = useResource<BackupList>('/backups');
  const action = useAction();
  const [made, setMade] = useState<CreatedBackup>();
  const [restoring, setRestoring] = useState(false);
  const data = backups.data;

  const backUpNow = () =>
    action.run(async () => {
      setMade(await api.post<CreatedBackup>('/backups'));
      await backups.reload();
    });

  // Typing the name is the confirmation: a restore replaces everything recorded since the backup.
  const restore = (name: string) =>
    action.run(async () => {
      if (window.prompt(m.backups.restoreConfirm(name))?.trim() !== name) return;
      await api.post(`/backups/${encodeURIComponent(name)}/restore`, { confirm: name });
      setRestoring(true);
      await waitForRestart();
      window.location.reload();
    });

  const columns: Column<BackupEntry>[] = [
    { key: 'name', header: m.backups.file, cell: (b) => <span class="mono">{b.name}</span> },
    { key: 'at', header: m.backups.madeAt, cell: (b) => format.dateTime(b.createdAt) },
    { key: 'size', header: m.backups.size, kind: 'num', cell: (b) => fileSize(b.size) },
    {
      key: 'actions',
      header: '',
      kind: 'actions',
      cell: (b) => (
        // Audited on the server; the file leaves out the HTTPS key, which never leaves this PC.
        <>
          <a class="button button--small" href={`/api/backups/${encodeURIComponent(b.name)}`} download={b.name}>
            {m.backups.download}
          </a>{' '}
          <button class="button button--small button--danger" disabled={action.busy || restoring} onClick={() => void restore(b.name)}>
            {m.backups.restore}
          </button>
        </>
      ),
    },
  ];

  return (
    <Page
      title={m.nav.backups}
      subtitle={data ? m.backups.intro(data.rotation.daily, data.rotation.monthly) : undefined}
      actions={
        <button class="button button--primary" disabled={action.busy} onClick={() => void backUpNow()}>
          {action.busy ? m.backups.working : m.backups.now}
        </button>
      }
    >
      <ErrorNotice error={action.failure ?? backups.error} />
      {restoring && <p class="notice notice--warn" role="status">{m.backups.restoring}</p>}
      {data?.pendingRestore && !restoring && <p class="notice notice--warn">{m.backups.pending(data.pendingRestore)}</p>}
      {data?.lastRestore && (
        <p class={`notice ${data.lastRestore.ok ? 'notice--ok' : 'notice--error'}`}>
          {data.lastRestore.ok
            ? m.backups.lastRestoreOk(format.dateTime(data.lastRestore.at), data.lastRestore.backup)
            : m.backups.lastRestoreFailed(format.dateTime(data.lastRestore.at), data.lastRestore.backup, data.lastRestore.message)}
        </p>
      )}
      {made && (
        <p class="notice notice--ok" role="status">
          {m.backups.made(made.name, made.counts.volunteers, made.counts.attendance)}
          {made.copiedTo && ` ${m.backups.copiedTo(made.copiedTo)}`}
        </p>
      )}
      {!data ? (
        !backups.error && <Loading />
      ) : (
        <>
          <section class="panel backup-places">
            <p>
              {m.backups.folder}: <span class="mono">{data.folder}</span>
            </p>
            <p>
              {m.backups.usb}: {data.copyDir ? <span class="mono">{data.copyDir}</span> : <span class="muted">{m.backups.noUsb}</span>}
            </p>
          </section>
          {data.lastCopyError && <p class="notice notice--warn">{m.backups.copyFailed(data.lastCopyError)}</p>}
          <DataTable label={m.nav.backups} columns={columns} rows={data.items} rowKey={(b) => b.name} empty={m.backups.none} />
        </>
      )}
      <section class="panel restore-help">
        <h2>{m.backups.restoreTitle}</h2>
        <p>{m.backups.restoreIntro}</p>
        <ol>
          {m.backups.restoreSteps.split('\n').map((step) => (
            <li key={step}>{step}</li>
          ))}
        </ol>
        <pre class="command">npm run restore -- {data?.items[0] ? `${data.folder}/${data.items[0].name}` : m.backups.fileName}</pre>
        <p class="muted">{m.backups.restoreSafe}</p>
      </section>
    </Page>
  );
}
