import { useState } from 'preact/hooks';
import { certificateCreateSchema } from '@protocol/schemas.ts';
import { api } from '../api/client.ts';
import type { VolunteerView } from '../api/types.ts';
import { Dialog } from '../components/dialog.tsx';
import { Field, FormActions, useForm } from '../components/form.tsx';
import { useFormat } from '../format.ts';
import { useMessages } from '../i18n/index.tsx';
import { dayIn } from '../time.ts';

interface Issued {
  number: string;
  hours: number;
  records: unknown[];
}

/** The printed certificate lives on the server (/print/certificates/…), so it prints the same from any PC. */
export function certificateUrl(number: string): string {
  return `/print/certificates/${encodeURIComponent(number)}`;
}

/**
 * 志愿服务记录证明 for a period: the server numbers it (anyone can check the number at
 * /verify) and audits the issue; the page opens in a new tab for printing.
 */
export function CertificateDialog({ volunteer, onClose }: { volunteer: VolunteerView; onClose: () => void }) {
  const m = useMessages();
  const format = useFormat();
  const today = dayIn(new Date(), format.timeZone);
  // Students usually need "this school year" or "this year"; the start of the year is the common ask.
  const form = useForm({ from: `${today.slice(0, 4)}-01-01`, to: today });
  const [issued, setIssued] = useState<Issued>();
  return (
    <Dialog title={m.certificates.title(volunteer.name)} onClose={onClose}>
      {issued ? (
        <div class="form">
          <p class="notice notice--ok" role="status">
            {m.certificates.issued(issued.number, format.number(issued.hours), issued.records.length)}
          </p>
          <div class="form__actions">
            <button class="button" onClick={onClose}>
              {m.common.done}
            </button>
            <a class="button button--primary" href={certificateUrl(issued.number)} target="_blank" rel="noopener">
              {m.certificates.open}
            </a>
          </div>
        </div>
      ) : (
        <form
          class="form"
          onSubmit={(event) => {
            event.preventDefault();
            void form.submit(certificateCreateSchema, form.values, async (input) => {
              const created = await api.post<Issued>(`/volunteers/${volunteer.id}/certificates`, input);
              setIssued(created);
              // Opened at once where the browser allows it; the button above stays for when it does not.
              window.open(certificateUrl(created.number), '_blank', 'noopener');
            });
          }}
        >
          <p class="muted">{m.certificates.intro}</p>
          <div class="form__row">
            <Field label={m.certificates.from} error={form.error('from')}>
              <input {...form.text('from')} type="date" max={today} />
            </Field>
            <Field label={m.certificates.to} error={form.error('to')}>
              <input {...form.text('to')} type="date" max={today} />
            </Field>
          </div>
          <FormActions form={form} onCancel={onClose} submitLabel={m.certificates.issue} />
        </form>
      )}
    </Dialog>
  );
}
