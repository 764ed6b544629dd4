import { useEffect, useState } from 'preact/hooks';
import type { VolunteerPhoto } from '@protocol/model.ts';
import { api } from '../api/client.ts';
import { Dialog } from '../components/dialog.tsx';
import { ErrorNotice } from '../components/notice.tsx';
import { useMessages } from '../i18n/index.tsx';
import { useAction } from '../use-resource.ts';

/**
 * The volunteer's optional photo (issue 12) on their record: taken with the tablet's or PC's
 * camera (`capture` opens it straight away on a tablet; a PC without one offers a file), or a
 * picture chosen from a file. Staff confirm the volunteer agreed before it is saved; the server
 * shrinks it and drops its EXIF.
 */
export function VolunteerPhotoPanel({ volunteer, writable, onChanged }: { volunteer: { id: string; name: string; photo?: VolunteerPhoto; anonymizedAt?: string }; writable: boolean; onChanged: () => Promise<void> }) {
  const m = useMessages();
  const p = m.volunteerPhoto;
  const action = useAction();
  const [chosen, setChosen] = useState<File>();
  const [removing, setRemoving] = useState(false);
  const photo = volunteer.photo;
  const canChange = writable && !volunteer.anonymizedAt;

  const pick = (event: Event) => {
    const input = event.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    // The same file chosen twice must fire change again.
    input.value = '';
    if (file) setChosen(file);
  };

  return (
    <section class="panel volunteer-photo" data-testid="volunteer-photo">
      <header class="panel__header">
        <h2>{p.title}</h2>
      </header>
      <ErrorNotice error={action.failure} />
      <div class="volunteer-photo__body">
        {photo ? (
          <img class="volunteer-photo__image" src={`/api/volunteers/${encodeURIComponent(volunteer.id)}/photo?v=${photo.sha256.slice(0, 16)}`} alt={p.alt(volunteer.name)} width={photo.width} height={photo.height} data-testid="volunteer-photo-image" />
        ) : (
          <svg class="volunteer-photo__image volunteer-photo__image--empty" viewBox="0 0 150 200" aria-hidden="true">
            <circle cx="75" cy="80" r="34" />
            <path d="M15 200 Q15 128 75 128 Q135 128 135 200 Z" />
          </svg>
        )}
        <div class="volunteer-photo__side">
          {!photo && <p class="muted">{p.none}</p>}
          <p class="muted">{p.hint}</p>
          {canChange && (
            <div class="volunteer-photo__actions">
              <label class="button button--primary">
                {photo ? p.retake : p.take}
                <input type="file" accept="image/*" capture="user" class="visually-hidden" data-testid="volunteer-photo-camera" onChange={pick} />
              </label>
              <label class="button">
                {p.upload}
                <input type="file" accept="image/jpeg,image/png,image/webp" class="visually-hidden" data-testid="volunteer-photo-file" onChange={pick} />
              </label>
              {photo && (
                <button type="button" class="button button--quiet" onClick={() => setRemoving(true)}>
                  {p.remove}
                </button>
              )}
            </div>
          )}
        </div>
      </div>

      {chosen && (
        <ConfirmPhotoDialog
          file={chosen}
          name={volunteer.name}
          onClose={() => setChosen(undefined)}
          onSave={async () => {
            const form = new FormData();
            form.append('consent', 'yes');
            form.append('photo', chosen, chosen.name || 'photo.jpg');
            if (await action.run(() => api.put(`/volunteers/${encodeURIComponent(volunteer.id)}/photo`, form))) await onChanged();
            setChosen(undefined);
          }}
        />
      )}
      {removing && (
        <Dialog title={p.removeTitle} onClose={() => setRemoving(false)}>
          <p>{p.removeWarning}</p>
          <div class="form__actions">
            <button type="button" class="button" onClick={() => setRemoving(false)}>
              {m.common.cancel}
            </button>
            <button
              type="button"
              class="button button--danger"
              onClick={() =>
                void (async () => {
                  if (await action.run(() => api.delete(`/volunteers/${encodeURIComponent(volunteer.id)}/photo`))) await onChanged();
                  setRemoving(false);
                })()
              }
            >
              {p.removeConfirm}
            </button>
          </div>
        </Dialog>
      )}
    </section>
  );
}

/** Shows the picture as chosen and asks for the volunteer's consent before anything is sent. */
function ConfirmPhotoDialog({ file, name, onClose, onSave }: { file: File; name: string; onClose: () => void; onSave: () => Promise<void> }) {
  const m = useMessages();
  const p = m.volunteerPhoto;
  const [consent, setConsent] = useState(false);
  const [saving, setSaving] = useState(false);
  const [preview, setPreview] = useState<string>();
  useEffect(() => {
    const url = URL.createObjectURL(file);
    setPreview(url);
    return () => URL.revokeObjectURL(url);
  }, [file]);
  return (
    <Dialog title={p.confirmTitle} onClose={onClose}>
      <form
        class="form"
        onSubmit={(event) => {
          event.preventDefault();
          if (!consent || saving) return;
          setSaving(true);
          void onSave().finally(() => setSaving(false));
        }}
      >
        {preview && <img class="volunteer-photo__preview" src={preview} alt={p.alt(name)} />}
        <label class="check">
          <input type="checkbox" checked={consent} data-testid="volunteer-photo-consent" onChange={(event) => setConsent((event.currentTarget as HTMLInputElement).checked)} />
          {p.consent}
        </label>
        <div class="form__actions">
          <button type="button" class="button" onClick={onClose}>
            {m.common.cancel}
          </button>
          <button type="submit" class="button button--primary" disabled={!consent || saving} data-testid="volunteer-photo-save">
            {p.save}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
