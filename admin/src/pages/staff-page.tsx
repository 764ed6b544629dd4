import { useState } from 'preact/hooks';
import type { Role } from '@protocol/model.ts';
import { staffCreateSchema, staffUpdateSchema } from '@protocol/schemas.ts';
import { api } from '../api/client.ts';
import type { Items, StaffView } from '../api/types.ts';
import { DataTable, type Column } from '../components/data-table.tsx';
import { Dialog } from '../components/dialog.tsx';
import { blank, Field, FormFailure, useForm } from '../components/form.tsx';
import { ErrorNotice } from '../components/notice.tsx';
import { Page } from '../components/page.tsx';
import { useFormat } from '../format.ts';
import { useMessages } from '../i18n/index.tsx';
import { useSession } from '../session.tsx';
import { useAction, useResource } from '../use-resource.ts';

const roles: Role[] = ['admin', 'staff', 'counter', 'viewer'];

/** Staff accounts (admin only): create, set role, reset password, disable. */
export function StaffPage() {
  const m = useMessages();
  const format = useFormat();
  const { user } = useSession();
  const staff = useResource<Items<StaffView>>('/staff');
  const [dialog, setDialog] = useState<{ kind: 'create' } | { kind: 'password'; account: StaffView } | null>(null);
  const action = useAction();

  const update = async (account: StaffView, patch: { role?: Role; disabled?: boolean }) => {
    await action.run(() => api.patch(`/staff/${account.id}`, patch));
    // Reloaded either way: a refused role change must show the role the account really has.
    await staff.reload();
  };

  const columns: Column<StaffView>[] = [
    {
      key: 'name',
      header: m.staff.displayName,
      cell: (s) => (
        <>
          <strong>{s.displayName}</strong> {s.id === user.id && <span class="badge">{m.staff.you}</span>}
        </>
      ),
    },
    { key: 'username', header: m.signIn.username, cell: (s) => <span class="mono">{s.username}</span> },
    {
      key: 'role',
      header: m.staff.role,
      cell: (s) => (
        <select aria-label={m.staff.role} value={s.role} onChange={(event) => void update(s, { role: event.currentTarget.value as Role })}>
          {roles.map((role) => (
            <option key={role} value={role}>
              {m.roles[role]}
            </option>
          ))}
        </select>
      ),
    },
    { key: 'state', header: m.staff.state, cell: (s) => <span class={`badge badge--${s.disabled ? 'left' : 'active'}`}>{s.disabled ? m.staff.disabled : m.staff.enabled}</span> },
    { key: 'created', header: m.staff.created, cell: (s) => format.date(s.createdAt) },
    {
      key: 'actions',
      header: '',
      kind: 'actions',
      cell: (s) => (
        <>
          <button class="button button--small" onClick={() => setDialog({ kind: 'password', account: s })}>
            {m.staff.resetPassword}
          </button>
          <button class="button button--small button--quiet" onClick={() => void update(s, { disabled: !s.disabled })}>
            {s.disabled ? m.staff.enable : m.staff.disable}
          </button>
        </>
      ),
    },
  ];

  return (
    <Page
      title={m.nav.staff}
      subtitle={m.staff.rolesHelp}
      actions={
        <button class="button button--primary" onClick={() => setDialog({ kind: 'create' })}>
          {m.staff.create}
        </button>
      }
    >
      <ErrorNotice error={action.failure ?? staff.error} />
      <DataTable label={m.nav.staff} columns={columns} rows={staff.data?.items ?? []} rowKey={(s) => s.id} />
      {dialog?.kind === 'create' && (
        <CreateStaffDialog
          onClose={() => setDialog(null)}
          onDone={async () => {
            setDialog(null);
            await staff.reload();
          }}
        />
      )}
      {dialog?.kind === 'password' && <PasswordDialog account={dialog.account} onClose={() => setDialog(null)} />}
    </Page>
  );
}

function CreateStaffDialog({ onClose, onDone }: { onClose: () => void; onDone: () => Promise<void> }) {
  const m = useMessages();
  const form = useForm({ username: '', displayName: '', role: 'staff' as Role, password: '' });
  return (
    <Dialog title={m.staff.create} onClose={onClose}>
      <form
        class="form"
        onSubmit={(event) => {
          event.preventDefault();
          void form.submit(staffCreateSchema, { ...form.values, displayName: blank(form.values.displayName) }, async (input) => {
            await api.post('/staff', input);
            await onDone();
          });
        }}
      >
        <Field label={m.signIn.username} error={form.error('username')}>
          <input {...form.text('username')} autoComplete="off" autoFocus />
        </Field>
        <Field label={m.staff.displayName} error={form.error('displayName')}>
          <input {...form.text('displayName')} maxLength={64} />
        </Field>
        <Field label={m.staff.role} error={form.error('role')} hint={m.staff.roleHints[form.values.role]}>
          <select value={form.values.role} onChange={(event) => form.set('role', event.currentTarget.value as Role)}>
            {roles.map((role) => (
              <option key={role} value={role}>
                {m.roles[role]}
              </option>
            ))}
          </select>
        </Field>
        <Field label={m.signIn.password} error={form.error('password')} hint={m.signIn.passwordHint}>
          <input {...form.text('password')} type="password" autoComplete="new-password" />
        </Field>
        <FormFailure form={form} />
        <div class="form__actions">
          <button type="button" class="button" onClick={onClose}>
            {m.common.cancel}
          </button>
          <button type="submit" class="button button--primary" disabled={form.busy}>
            {m.staff.create}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function PasswordDialog({ account, onClose }: { account: StaffView; onClose: () => void }) {
  const m = useMessages();
  const form = useForm({ password: '' });
  const [done, setDone] = useState(false);
  return (
    <Dialog title={m.staff.resetPasswordFor(account.displayName)} onClose={onClose}>
      {done ? (
        <>
          <p class="notice notice--ok">{m.staff.passwordReset}</p>
          <div class="form__actions">
            <button class="button button--primary" onClick={onClose}>
              {m.common.done}
            </button>
          </div>
        </>
      ) : (
        <form
          class="form"
          onSubmit={(event) => {
            event.preventDefault();
            void form.submit(staffUpdateSchema.required({ password: true }), form.values, async (input) => {
              await api.patch(`/staff/${account.id}`, input);
              setDone(true);
            });
          }}
        >
          <p class="muted">{m.staff.resetHint}</p>
          <Field label={m.staff.newPassword} error={form.error('password')} hint={m.signIn.passwordHint}>
            <input {...form.text('password')} type="password" autoComplete="new-password" autoFocus />
          </Field>
          <FormFailure form={form} />
          <div class="form__actions">
            <button type="button" class="button" onClick={onClose}>
              {m.common.cancel}
            </button>
            <button type="submit" class="button button--primary" disabled={form.busy}>
              {m.staff.resetPassword}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
