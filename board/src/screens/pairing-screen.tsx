import { useState } from 'preact/hooks';
import { useMessages } from '../i18n/index.ts';

/** Shown until this screen is paired as a board (or a staff member signs in on it). */
export function PairingScreen({ reason, onCode }: { reason?: 'failed' | 'network' | 'revoked'; onCode(code: string): void }) {
  const messages = useMessages();
  const text = messages.pairing;
  const [code, setCode] = useState('');
  const [working, setWorking] = useState(false);
  const problem = reason === 'failed' ? text.failed : reason === 'network' ? text.networkFailed : reason === 'revoked' ? text.revoked : null;
  return (
    <main class="pairing">
      <h1>{text.title}</h1>
      <p class="pairing-how">{text.howTo}</p>
      {problem && <p class="pairing-problem" role="alert">{problem}</p>}
      <form
        class="pairing-form"
        onSubmit={(event) => {
          event.preventDefault();
          setWorking(true);
          onCode(code.trim());
        }}
      >
        <label>
          {text.codeLabel}
          <input inputMode="numeric" autoComplete="off" value={code} onInput={(event) => setCode(event.currentTarget.value)} />
        </label>
        <button type="submit" disabled={working || code.trim().length === 0}>{working ? text.working : text.submit}</button>
      </form>
      <a class="pairing-staff" href="/admin/">{text.staffLogin}</a>
    </main>
  );
}
