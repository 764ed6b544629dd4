import type { ComponentChildren } from 'preact';
import { loginSchema, setupSchema } from '@protocol/schemas.ts';
import { api } from '../api/client.ts';
import { blank, Field, FormFailure, useForm } from '../components/form.tsx';
import { LanguageSwitch } from '../components/language-switch.tsx';
import { useMessages } from '../i18n/index.tsx';

function SignInCard({ title, intro, children }: { title: string; intro?: string; children: ComponentChildren }) {
  const m = useMessages();
  return (
    <main class="sign-in">
      <div class="sign-in__card">
        <div class="sign-in__top">
          <span class="topbar__logo" aria-hidden="true">
            志
          </span>
          <LanguageSwitch />
        </div>
        <p class="sign-in__app">{m.app.productName}</p>
        <h1>{title}</h1>
        {intro && <p class="muted">{intro}</p>}
        {children}
      </div>
    </main>
  );
}

/** First run (as in Uptime Kuma): with no staff account yet, the first visitor creates the admin. */
export function SetupPage({ onDone }: { onDone: () => Promise<void> }) {
  const m = useMessages();
  const form = useForm({ username: 'admin', displayName: '', password: '', confirm: '' });
  return (
    <SignInCard title={m.signIn.setupTitle} intro={m.signIn.setupIntro}>
      <form
        class="form"
        onSubmit={(event) => {
          event.preventDefault();
          const { confirm, ...values } = form.values;
          const schema = setupSchema.refine((v) => v.password === confirm, { message: m.signIn.passwordsDiffer, path: ['confirm'] });
          void form.submit(schema, { ...values, displayName: blank(values.displayName) }, async (input) => {
            await api.post('/auth/setup', input);
            await onDone();
          });
        }}
      >
        <Field label={m.signIn.username} error={form.error('username')}>
          <input {...form.text('username')} autoComplete="username" required />
        </Field>
        <Field label={m.signIn.displayName} hint={m.signIn.displayNameHint} error={form.error('displayName')}>
          <input {...form.text('displayName')} autoComplete="name" />
        </Field>
        <Field label={m.signIn.password} hint={m.signIn.passwordHint} error={form.error('password')}>
          <input {...form.text('password')} type="password" autoComplete="new-password" required />
        </Field>
        <Field label={m.signIn.confirmPassword} error={form.error('confirm')}>
          <input {...form.text('confirm')} type="password" autoComplete="new-password" required />
        </Field>
        <FormFailure form={form} />
        <button type="submit" class="button button--primary button--block" disabled={form.busy}>
          {m.signIn.createAdmin}
        </button>
      </form>
    </SignInCard>
  );
}

export function LoginPage({ onDone }: { onDone: () => Promise<void> }) {
  const m = useMessages();
  const form = useForm({ username: '', password: '' });
  return (
    <SignInCard title={m.signIn.loginTitle}>
      <form
        class="form"
        onSubmit={(event) => {
          event.preventDefault();
          void form.submit(loginSchema, form.values, async (input) => {
            await api.post('/auth/login', input);
            await onDone();
          });
        }}
      >
        <Field label={m.signIn.username} error={form.error('username')}>
          <input {...form.text('username')} autoComplete="username" autoFocus required />
        </Field>
        <Field label={m.signIn.password} error={form.error('password')}>
          <input {...form.text('password')} type="password" autoComplete="current-password" required />
        </Field>
        <FormFailure form={form} />
        <button type="submit" class="button button--primary button--block" disabled={form.busy}>
          {m.signIn.login}
        </button>
      </form>
    </SignInCard>
  );
}
