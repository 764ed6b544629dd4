import { useEffect, useState } from 'preact/hooks';
import type { SnapCategory } from '@protocol/me.ts';
import { newClientId } from './api.ts';
import { errorMessage, useMessages } from './i18n/index.ts';
import { shrinkPhoto } from './shrink-photo.ts';
import type { SnapOutbox } from './snap-outbox.ts';

type Status = { kind: 'idle' } | { kind: 'sending' } | { kind: 'sent' } | { kind: 'queued' } | { kind: 'error'; text: string };

/**
 * 随手拍: a photo (the phone's camera through a plain file input, which needs no secure
 * context), a category, the place and a note. Sent at once, or kept on the phone until the
 * Wi-Fi is back.
 */
export function SnapForm({ categories, outbox, waiting, onSent, onQueued }: { categories: SnapCategory[]; outbox: SnapOutbox; waiting: number; onSent: () => void; onQueued: () => void }) {
  const messages = useMessages();
  const m = messages.snap;
  const [photo, setPhoto] = useState<Blob | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [category, setCategory] = useState<SnapCategory>(categories[0] ?? 'other');
  const [place, setPlace] = useState('');
  const [note, setNote] = useState('');
  const [status, setStatus] = useState<Status>({ kind: 'idle' });

  useEffect(() => () => void (preview && URL.revokeObjectURL(preview)), [preview]);

  const choose = async (file: File | undefined) => {
    if (!file) return;
    setStatus({ kind: 'idle' });
    const shrunk = await shrinkPhoto(file);
    setPhoto(shrunk);
    setPreview(URL.createObjectURL(shrunk));
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!photo) return setStatus({ kind: 'error', text: m.needPhoto });
    if (!place.trim()) return setStatus({ kind: 'error', text: m.needPlace });
    setStatus({ kind: 'sending' });
    const result = await outbox.send({ clientId: newClientId(), photo, category, place: place.trim(), note: note.trim(), createdAt: new Date().toISOString() });
    if (result.kind === 'refused') return setStatus({ kind: 'error', text: m.failed + errorMessage(messages, result.code) });
    setPhoto(null);
    setPreview(null);
    setPlace('');
    setNote('');
    setStatus({ kind: result.kind });
    if (result.kind === 'sent') onSent();
    else onQueued();
  };

  return (
    <section class="card snap" data-testid="snap-form">
      <h2>{m.title}</h2>
      <p class="note">{m.intro}</p>
      <form onSubmit={(e) => void submit(e)}>
        <label class={`photo-pick${preview ? ' has-photo' : ''}`}>
          {preview ? <img src={preview} alt="" /> : <CameraIcon />}
          <span>{preview ? m.changePhoto : m.photo}</span>
          <input type="file" accept="image/*" capture="environment" name="photo" onChange={(e) => void choose((e.currentTarget as HTMLInputElement).files?.[0])} />
        </label>
        <fieldset class="categories">
          <legend>{m.category}</legend>
          {categories.map((key) => (
            <label key={key} class={`chip${category === key ? ' chosen' : ''}`}>
              <input type="radio" name="category" value={key} checked={category === key} onChange={() => setCategory(key)} />
              {messages.categories[key]}
            </label>
          ))}
        </fieldset>
        <label class="field">
          <span>{m.place}</span>
          <input name="place" value={place} maxLength={100} placeholder={m.placeHint} onInput={(e) => setPlace((e.currentTarget as HTMLInputElement).value)} />
        </label>
        <label class="field">
          <span>{m.note}</span>
          <textarea name="note" rows={2} maxLength={500} value={note} onInput={(e) => setNote((e.currentTarget as HTMLTextAreaElement).value)} />
        </label>
        <button type="submit" class="primary" disabled={status.kind === 'sending'}>
          {status.kind === 'sending' ? m.sending : m.send}
        </button>
        {status.kind === 'sent' && <p class="ok" role="status">{m.sent}</p>}
        {status.kind === 'queued' && <p class="warning" role="status">{m.queued}</p>}
        {status.kind === 'error' && <p class="error" role="alert">{status.text}</p>}
        {waiting > 0 && <p class="warning" data-testid="outbox">{m.outbox(waiting)}</p>}
      </form>
    </section>
  );
}

/** Drawn, not an emoji: old Android phones often lack a colour emoji font. */
function CameraIcon() {
  return (
    <svg class="photo-icon" viewBox="0 0 24 24" width="48" height="48" aria-hidden="true">
      <path fill="currentColor" d="M9 3 7.2 5H4a2 2 0 0 0-2 2v11a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2V7a2 2 0 0 0-2-2h-3.2L15 3H9zm3 5a5 5 0 1 1 0 10 5 5 0 0 1 0-10zm0 2a3 3 0 1 0 0 6 3 3 0 0 0 0-6z" />
    </svg>
  );
}
