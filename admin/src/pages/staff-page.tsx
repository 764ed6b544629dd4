import { useState } from 'preact/hooks';
import type { Role } from '@protocol/model.ts';
import { staffCreateSchema, staffUpdateSchema } from '@protocol/schemas.ts';
import { api } from '../api/client.ts';
import type { Items, StaffView } from '../api/types.ts';
import { DataTable, type Column } from '../components/data-table.tsx';
import { Dialog } from '../components/dialog.tsx';
import { blank, Field, FormActions, useForm } from '../components/form.tsx';
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
  const [dialog, setDialog] = useState<{ kind: 'create' } | { kind: 'password' | 'pin'; account: StaffView } | null>(null);
  const action = useAction();

  const update = async (account: StaffView, patch: { role?: Role; disabled?: boolean; pin?: null }) => {
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
    {
      key: 'pin',
      header: m.staff.pin,
      cell: (s) => (
        <span class="actions">
          <span class={`badge${s.hasPin ? ' badge--active' : ''}`}>{s.hasPin ? m.staff.pinSet : m.staff.pinNone}</span>
          <button class="button button--small" onClick={() => setDialog({ kind: 'pin', account: s })}>
            {s.hasPin ? m.staff.changePin : m.staff.setPin}
          </button>
          {s.hasPin && (
            <button class="button button--small button--quiet" onClick={() => void update(s, { pin: null })}>
              {m.staff.clearPin}
            </button>
          )}
        </span>
      ),
    },
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
      {(dialog?.kind === 'password' || dialog?.kind === 'pin') && (
        <SecretDialog
          kind={dialog.kind}
          account={dialog.account}
          onClose={() => {
            setDialog(null);
            void staff.reload();
          }}
        />
      )}
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
        <FormActions form={form} onCancel={onClose} submitLabel={m.staff.create} />
      </form>
    </Dialog>
  );
}

/** A new password, or a counter PIN (digits only, to unlock a counter tablet quickly), for someone else's account. */
function SecretDialog({ kind, account, onClose }: { kind: 'password' | 'pin'; account: StaffView; onClose: () => void }) {
  const m = useMessages();
  const form = useForm({ secret: '' });
  const [done, setDone] = useState(false);
  const text = kind === 'password'
    ? { title: m.staff.resetPasswordFor(account.displayName), hint: m.staff.resetHint, label: m.staff.newPassword, fieldHint: m.signIn.passwordHint, done: m.staff.passwordReset, submit: m.staff.resetPassword }
    : { title: m.staff.pinFor(account.displayName), hint: m.staff.pinHelp, label: m.staff.pin, fieldHint: m.staff.pinHint, done: m.staff.pinSaved, submit: m.common.save };
  return (
    <Dialog title={text.title} onClose={onClose}>
      {done ? (
        <>
          <p class="notice notice--ok">{text.done}</p>
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
            const schema = staffUpdateSchema.pick(kind === 'password' ? { password: true } : { pin: true }).required();
            void form.submit(schema, { [kind]: form.values.secret }, async (input) => {
              await api.patch(`/staff/${account.id}`, input);
              setDone(true);
            });
          }}
        >
          <p class="muted">{text.hint}</p>
          <Field label={text.label} error={form.error(kind)} hint={text.fieldHint}>
            <input {...form.text('secret')} type="password" autoComplete="new-password" inputMode={kind === 'pin' ? 'numeric' : undefined} autoFocus />
          </Field>
          <FormActions form={form} onCancel={onClose} submitLabel={text.submit} />
        </form>
      )}
    </Dialog>
  );
}
