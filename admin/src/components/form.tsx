import type { ComponentChildren, JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { z } from 'zod';
import { ApiError } from '../api/client.ts';
import { problemText, useMessages, type Messages } from '../i18n/index.tsx';
import { ErrorNotice } from './notice.tsx';

type Problems = Record<string, string>;

/** Brings the first field with a problem into view, so a long form never fails silently below the fold. */
function focusFirstProblem(): void {
  requestAnimationFrame(() => {
    const scope = document.querySelector('dialog[open]') ?? document;
    scope.querySelector<HTMLElement>('.field--invalid :is(input, select, textarea)')?.focus();
  });
}

/** An empty or unreadable input reaches the schema as undefined or NaN; zod's "expected number, received NaN" helps nobody. */
function problemsOf(issues: z.core.$ZodIssue[], m: Messages): Problems {
  const problems: Problems = {};
  for (const issue of issues) {
    const field = issue.path.map(String).join('.') || '(body)';
    const message = issue.code === 'invalid_type' ? (issue.expected === 'number' ? m.common.needNumber : m.common.needValue) : issue.message;
    if (!(field in problems)) problems[field] = message;
  }
  return problems;
}

export interface Form<V> {
  values: V;
  set<K extends keyof V>(key: K, value: V[K]): void;
  /** Props for a text-like input bound to a string value. */
  text(key: { [K in keyof V]: V[K] extends string ? K : never }[keyof V]): { value: string; onInput: (event: JSX.TargetedEvent<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>) => void; name: string };
  /** The localized problem with a field (by its schema path, e.g. "guardianConsent.guardianName"), if any. */
  error(field: string): string | undefined;
  busy: boolean;
  /** A failure that belongs to no field (a conflict, a refused role, the network). */
  failure: ApiError | undefined;
  /**
   * Validates with the server's own schema, then runs the action with the parsed input. Field
   * problems from the schema or from the server's VALIDATION_FAILED answer appear by their fields.
   */
  submit<S extends z.ZodType>(schema: S, input: unknown, action: (data: z.output<S>) => Promise<void>): Promise<void>;
  reset(values: V): void;
}

export function useForm<V extends object>(initial: V): Form<V> {
  const m = useMessages();
  const [values, setValues] = useState(initial);
  const [problems, setProblems] = useState<Problems>({});
  const [failure, setFailure] = useState<ApiError>();
  const [busy, setBusy] = useState(false);

  const set = <K extends keyof V>(key: K, value: V[K]) => {
    setValues((current) => ({ ...current, [key]: value }));
    // The problem is stale once the field is edited; it comes back on the next submit if still true.
    setProblems((current) => Object.fromEntries(Object.entries(current).filter(([field]) => field.split('.')[0] !== key)));
  };

  return {
    values,
    set,
    text: (key) => ({ name: String(key), value: values[key] as string, onInput: (event) => set(key, event.currentTarget.value as V[typeof key]) }),
    error: (field) => {
      const message = problems[field];
      return message === undefined ? undefined : problemText(m, field.split('.').pop()!, message);
    },
    busy,
    failure,
    async submit(schema, input, action) {
      const parsed = schema.safeParse(input);
      if (!parsed.success) {
        setProblems(problemsOf(parsed.error.issues, m));
        focusFirstProblem();
        return;
      }
      setProblems({});
      setFailure(undefined);
      setBusy(true);
      try {
        await action(parsed.data);
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        const fromServer = error.problems;
        if (Object.keys(fromServer).length > 0) {
          setProblems(fromServer);
          focusFirstProblem();
        } else {
          setFailure(error);
        }
      } finally {
        setBusy(false);
      }
    },
    reset(next) {
      setValues(next);
      setProblems({});
      setFailure(undefined);
    },
  };
}

/** A labelled control with its hint and its problem underneath. */
export function Field({ label, error, hint, children, wide }: { label: ComponentChildren; error?: string; hint?: ComponentChildren; children: ComponentChildren; wide?: boolean }) {
  return (
    <label class={`field${error ? ' field--invalid' : ''}${wide ? ' field--wide' : ''}`}>
      <span class="field__label">{label}</span>
      {children}
      {error ? (
        <span class="field__error" role="alert">
          {error}
        </span>
      ) : hint ? (
        <span class="field__hint">{hint}</span>
      ) : null}
    </label>
  );
}

/** The failure of a whole form, shown above its buttons. */
export function FormFailure({ form }: { form: Pick<Form<unknown>, 'failure' | 'error'> }) {
  const body = form.error('(body)');
  if (form.failure) return <ErrorNotice error={form.failure} />;
  return body ? <p class="notice notice--error">{body}</p> : null;
}

/** '' from an empty input means "not given". */
export function blank(value: string): string | undefined {
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** A number input's value as a number, or undefined when empty; NaN stays NaN so the schema reports it. */
export function numberOrUndefined(value: string): number | undefined {
  const trimmed = value.trim();
  return trimmed === '' ? undefined : Number(trimmed);
}

/** The foot of every dialog form: what went wrong, then Cancel and the form's submit button. */
export function FormActions({ form, onCancel, submitLabel }: { form: Pick<Form<unknown>, 'failure' | 'error' | 'busy'>; onCancel: () => void; submitLabel: string }) {
  const m = useMessages();
  return (
    <>
      <FormFailure form={form} />
      <div class="form__actions">
        <button type="button" class="button" onClick={onCancel}>
          {m.common.cancel}
        </button>
        <button type="submit" class="button button--primary" disabled={form.busy}>
          {submitLabel}
        </button>
      </div>
    </>
  );
}

/** The foot of a settings form: what went wrong, "saved" once it is, and the save button. */
export function SaveBar({ form, saved, savedText, label }: { form: Pick<Form<unknown>, 'failure' | 'error' | 'busy'>; saved: boolean; savedText: string; label: string }) {
  return (
    <div class="settings__save">
      <FormFailure form={form} />
      {saved && (
        <p class="notice notice--ok" role="status">
          {savedText}
        </p>
      )}
      <button type="submit" class="button button--primary" disabled={form.busy}>
        {label}
      </button>
    </div>
  );
}
