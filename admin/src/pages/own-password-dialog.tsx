import { useState } from 'preact/hooks';
import { passwordChangeSchema } from '@protocol/schemas.ts';
import { api } from '../api/client.ts';
import { Dialog } from '../components/dialog.tsx';
import { Field, FormFailure, useForm } from '../components/form.tsx';
import { useMessages } from '../i18n/index.tsx';

/** Anyone signed in changes their own password by giving the current one; their other sessions end. */
export function OwnPasswordDialog({ onClose }: { onClose: () => void }) {
  const m = useMessages();
  const form = useForm({ current: '', next: '', confirm: '' });
  const [done, setDone] = useState(false);
  return (
    <Dialog title={m.account.changePassword} onClose={onClose}>
      {done ? (
        <>
          <p class="notice notice--ok" role="status">
            {m.account.passwordChanged}
          </p>
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
            const { confirm, ...values } = form.values;
            const schema = passwordChangeSchema.refine((v) => v.next === confirm, { message: m.signIn.passwordsDiffer, path: ['confirm'] });
            void form.submit(schema, values, async (input) => {
              await api.post('/auth/password', input);
              setDone(true);
            });
          }}
        >
          <Field label={m.account.currentPassword} error={form.error('current') ?? (form.failure?.code === 'INVALID_CREDENTIALS' ? m.account.currentWrong : undefined)}>
            <input {...form.text('current')} type="password" autoComplete="current-password" autoFocus />
          </Field>
          <Field label={m.staff.newPassword} error={form.error('next')} hint={m.signIn.passwordHint}>
            <input {...form.text('next')} type="password" autoComplete="new-password" />
          </Field>
          <Field label={m.signIn.confirmPassword} error={form.error('confirm')}>
            <input {...form.text('confirm')} type="password" autoComplete="new-password" />
          </Field>
          {form.failure?.code !== 'INVALID_CREDENTIALS' && <FormFailure form={form} />}
          <p class="muted">{m.account.otherSessions}</p>
          <div class="form__actions">
            <button type="button" class="button" onClick={onClose}>
              {m.common.cancel}
            </button>
            <button type="submit" class="button button--primary" disabled={form.busy}>
              {m.account.changePassword}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
