import type { ComponentChildren } from 'preact';
import { reasonSchema } from '@protocol/schemas.ts';
import { useMessages } from '../i18n/index.tsx';
import { Dialog } from './dialog.tsx';
import { Field, FormFailure, useForm } from './form.tsx';

/** Confirms a change that the record keeps a reason for (a removal, a void): the reason is required. */
export function ReasonDialog({
  title,
  children,
  confirmLabel,
  onConfirm,
  onClose,
  confirmDisabled,
}: {
  title: ComponentChildren;
  children?: ComponentChildren;
  confirmLabel: string;
  onConfirm: (reason: string) => Promise<void>;
  onClose: () => void;
  /** Holds the confirm back until something else in the dialog is done too (a name typed out). */
  confirmDisabled?: boolean;
}) {
  const m = useMessages();
  const form = useForm({ reason: '' });
  return (
    <Dialog title={title} onClose={onClose}>
      <form
        class="form"
        onSubmit={(event) => {
          event.preventDefault();
          void form.submit(reasonSchema, form.values, async ({ reason }) => onConfirm(reason));
        }}
      >
        {children}
        <Field label={m.common.reason} error={form.error('reason')} hint={m.common.reasonHint}>
          <input {...form.text('reason')} maxLength={200} autoFocus />
        </Field>
        <FormFailure form={form} />
        <div class="form__actions">
          <button type="button" class="button" onClick={onClose}>
            {m.common.cancel}
          </button>
          <button type="submit" class="button button--danger" disabled={form.busy || confirmDisabled}>
            {confirmLabel}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
