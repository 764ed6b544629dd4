import { useState } from 'preact/hooks';
import { api, ApiError } from '../api/client.ts';
import type { BackupEntry, BackupList, CreatedBackup } from '../api/types.ts';
import { DataTable, type Column } from '../components/data-table.tsx';
import { Dialog } from '../components/dialog.tsx';
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
  const [confirming, setConfirming] = useState<BackupEntry>();
  const [editingCopyFolder, setEditingCopyFolder] = useState(false);
  const [editingEncryption, setEditingEncryption] = useState(false);
  const data = backups.data;

  const backUpNow = () =>
    action.run(async () => {
      setMade(await api.post<CreatedBackup>('/backups'));
      await backups.reload();
    });

  // Confirmed in RestoreDialog: a restore replaces everything recorded since the backup.
  const restore = async (name: string, passphrase?: string) => {
    await api.post(`/backups/${encodeURIComponent(name)}/restore`, passphrase ? { confirm: name, passphrase } : { confirm: name });
    setConfirming(undefined);
    setRestoring(true);
    await waitForRestart();
    window.location.reload();
  };

  const columns: Column<BackupEntry>[] = [
    {
      key: 'name',
      header: m.backups.file,
      cell: (b) => (
        <>
          <span class="mono">{b.name}</span>
          {b.encrypted && <span class="badge badge--active backup-encrypted">{m.backups.encrypted}</span>}
        </>
      ),
    },
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
          <button class="button button--small button--danger" disabled={action.busy || restoring} onClick={() => setConfirming(b)}>
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
              {m.backups.usb}: {data.copyDir ? <span class="mono">{data.copyDir}</span> : <span class="muted">{m.backups.noUsb}</span>}{' '}
              <button class="button button--small" onClick={() => setEditingCopyFolder(true)}>
                {data.copyDir ? m.backups.changeUsb : m.backups.setUsb}
              </button>
            </p>
            <p>
              {m.backups.encryption}:{' '}
              {data.encryption.enabled ? <span>{m.backups.encryptionOn(format.dateTime(data.encryption.since!))}</span> : <span class="muted">{m.backups.encryptionOff}</span>}{' '}
              <button class="button button--small" onClick={() => setEditingEncryption(true)}>
                {data.encryption.enabled ? m.backups.encryptionChange : m.backups.encryptionSet}
              </button>{' '}
              {data.encryption.enabled && (
                <button
                  class="button button--small"
                  disabled={action.busy}
                  onClick={() => {
                    if (!window.confirm(m.backups.encryptionOffConfirm)) return;
                    void action.run(async () => {
                      await api.put('/backups/encryption', { enabled: false });
                      await backups.reload();
                    });
                  }}
                >
                  {m.backups.encryptionTurnOff}
                </button>
              )}
            </p>
          </section>
          {data.lastCopyError && <p class="notice notice--warn">{m.backups.copyFailed(data.lastCopyError)}</p>}
          <DataTable label={m.nav.backups} columns={columns} rows={data.items} rowKey={(b) => b.name} empty={m.backups.none} />
        </>
      )}
      {confirming && <RestoreDialog backup={confirming} onConfirm={(passphrase) => restore(confirming.name, passphrase)} onClose={() => setConfirming(undefined)} />}
      {editingEncryption && data && (
        <EncryptionDialog
          minLength={data.encryption.minLength}
          onClose={() => setEditingEncryption(false)}
          onSaved={async () => {
            setEditingEncryption(false);
            await backups.reload();
          }}
        />
      )}
      {editingCopyFolder && data && (
        <CopyFolderDialog
          current={data.copyDir}
          onClose={() => setEditingCopyFolder(false)}
          onSaved={async () => {
            setEditingCopyFolder(false);
            await backups.reload();
          }}
        />
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
        <p class="muted">{m.backups.restoreEncryptedCommand}</p>
        <p class="muted">{m.backups.restoreSafe}</p>
      </section>
    </Page>
  );
}

/**
 * A restore replaces everything recorded since the backup, so it asks for a typed word: 恢复
 * (the button's own word, in the reader's language) or the backup's date, never its long name.
 */
function RestoreDialog({ backup, onConfirm, onClose }: { backup: BackupEntry; onConfirm: (passphrase?: string) => Promise<void>; onClose: () => void }) {
  const m = useMessages();
  const format = useFormat();
  const [typed, setTyped] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const submission = useAction();
  const word = typed.trim();
  const confirmed = (word === m.backups.restoreWord || word === backup.day) && (!backup.encrypted || passphrase !== '');
  return (
    <Dialog title={m.backups.restoreDialogTitle} onClose={onClose}>
      <form
        class="form"
        onSubmit={(event) => {
          event.preventDefault();
          if (confirmed && !submission.busy) void submission.run(() => onConfirm(backup.encrypted ? passphrase : undefined));
        }}
      >
        <p>{m.backups.restoreWhich(format.dateTime(backup.createdAt))}</p>
        <p class="notice notice--warn">{m.backups.restoreWarning}</p>
        <label class="field">
          <span class="field__label">{m.backups.restoreTypeLabel(m.backups.restoreWord, backup.day)}</span>
          <input name="confirm" value={typed} onInput={(event) => setTyped(event.currentTarget.value)} autoComplete="off" autoFocus />
        </label>
        {backup.encrypted && (
          <label class="field">
            <span class="field__label">{m.backups.restorePassphrase}</span>
            <input name="passphrase" type="password" value={passphrase} onInput={(event) => setPassphrase(event.currentTarget.value)} autoComplete="off" />
            <span class="field__hint">{m.backups.restorePassphraseHelp}</span>
          </label>
        )}
        <ErrorNotice error={submission.failure} />
        <div class="form__actions">
          <button type="button" class="button" onClick={onClose}>
            {m.common.cancel}
          </button>
          <button type="submit" class="button button--danger" disabled={!confirmed || submission.busy}>
            {m.backups.restoreNow}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** The USB folder: the server checks it exists and takes a file before keeping it. */
function CopyFolderDialog({ current, onSaved, onClose }: { current: string | null; onSaved: () => Promise<void>; onClose: () => void }) {
  const m = useMessages();
  const [folder, setFolder] = useState(current ?? '');
  const [problem, setProblem] = useState<string>();
  const submission = useAction();
  const save = (value: string | null) =>
    submission.run(async () => {
      setProblem(undefined);
      try {
        await api.put('/backups/copy-folder', { folder: value });
      } catch (error) {
        // A folder the server cannot use is said beside the field, in words about the stick.
        const reason = error instanceof ApiError ? (error.details?.reason as keyof typeof m.backups.usbProblems | undefined) : undefined;
        if (!reason || !(reason in m.backups.usbProblems)) throw error;
        setProblem(m.backups.usbProblems[reason]);
        return;
      }
      await onSaved();
    });
  return (
    <Dialog title={m.backups.usbDialogTitle} onClose={onClose}>
      <form
        class="form"
        onSubmit={(event) => {
          event.preventDefault();
          void save(folder.trim() || null);
        }}
      >
        <label class={`field${problem ? ' field--invalid' : ''}`}>
          <span class="field__label">{m.backups.usbFolder}</span>
          <input name="folder" class="mono" value={folder} onInput={(event) => setFolder(event.currentTarget.value)} autoFocus />
          {problem ? (
            <span class="field__error" role="alert">
              {problem}
            </span>
          ) : (
            <span class="field__hint">{m.backups.usbHint}</span>
          )}
        </label>
        <ErrorNotice error={submission.failure} />
        <div class="form__actions">
          {current && (
            <button type="button" class="button" disabled={submission.busy} onClick={() => void save(null)}>
              {m.backups.usbClear}
            </button>
          )}
          <button type="button" class="button" onClick={onClose}>
            {m.common.cancel}
          </button>
          <button type="submit" class="button button--primary" disabled={submission.busy || folder.trim() === ''}>
            {m.common.save}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/**
 * The backup passphrase, typed twice. The server keeps only the key scrypt makes from it; the
 * admin is told plainly that a lost passphrase cannot be recovered.
 */
function EncryptionDialog({ minLength, onSaved, onClose }: { minLength: number; onSaved: () => Promise<void>; onClose: () => void }) {
  const m = useMessages();
  const [passphrase, setPassphrase] = useState('');
  const [again, setAgain] = useState('');
  const submission = useAction();
  const tooShort = passphrase !== '' && [...passphrase].length < minLength;
  const mismatch = again !== '' && again !== passphrase;
  const save = () =>
    submission.run(async () => {
      await api.put('/backups/encryption', { enabled: true, passphrase, passphraseAgain: again });
      await onSaved();
    });
  return (
    <Dialog title={m.backups.encryptionDialogTitle} onClose={onClose}>
      <form
        class="form"
        onSubmit={(event) => {
          event.preventDefault();
          if (!submission.busy && !tooShort && !mismatch && again !== '') void save();
        }}
      >
        <p>{m.backups.encryptionExplain}</p>
        <p class="notice notice--warn">{m.backups.encryptionWarning}</p>
        <label class={`field${tooShort ? ' field--invalid' : ''}`}>
          <span class="field__label">{m.backups.passphrase(minLength)}</span>
          <input name="passphrase" type="password" value={passphrase} onInput={(event) => setPassphrase(event.currentTarget.value)} autoComplete="new-password" autoFocus />
          {tooShort && <span class="field__error">{m.backups.passphraseTooShort(minLength)}</span>}
        </label>
        <label class={`field${mismatch ? ' field--invalid' : ''}`}>
          <span class="field__label">{m.backups.passphraseAgain}</span>
          <input name="passphraseAgain" type="password" value={again} onInput={(event) => setAgain(event.currentTarget.value)} autoComplete="new-password" />
          {mismatch && <span class="field__error">{m.backups.passphraseMismatch}</span>}
        </label>
        <ErrorNotice error={submission.failure} />
        <div class="form__actions">
          <button type="button" class="button" onClick={onClose}>
            {m.common.cancel}
          </button>
          <button type="submit" class="button button--primary" disabled={submission.busy || tooShort || mismatch || again === '' || passphrase === ''}>
            {m.backups.encryptionSave}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
