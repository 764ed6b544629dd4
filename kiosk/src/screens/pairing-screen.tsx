import { useEffect, useState } from 'preact/hooks';
import { errorText, joinSentences, useMessages } from '../i18n/index.ts';
import { pairWithCode, type Pairing } from '../pairing.ts';

export type PairingNotice = 'revoked' | null;

/** An unpaired tablet: how to pair, and pairing itself (from `?pair=CODE` or a typed code). */
export function PairingScreen({ initialCode, notice, onPaired }: { initialCode: string | null; notice: PairingNotice; onPaired: (pairing: Pairing) => void }) {
  const messages = useMessages();
  const [code, setCode] = useState(initialCode ?? '');
  const [working, setWorking] = useState(false);
  const [problem, setProblem] = useState<string | null>(notice === 'revoked' ? messages.pairing.revoked : null);

  const pair = async (pairingCode: string) => {
    setWorking(true);
    setProblem(null);
    const result = await pairWithCode(pairingCode);
    setWorking(false);
    if (result.ok) return onPaired(result.pairing);
    if (result.code === 'NETWORK') return setProblem(messages.pairing.networkFailed);
    const text = errorText(messages, result.code);
    setProblem(joinSentences(text.message, text.next));
  };

  useEffect(() => {
    if (initialCode) void pair(initialCode);
  }, []);

  return (
    <main class="pairing" data-screen="pairing">
      <h1>{messages.appTitle}</h1>
      <h2>{messages.pairing.title}</h2>
      <p class="pairing-how">{messages.pairing.howTo}</p>
      <form
        class="pairing-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (code.trim() && !working) void pair(code.trim());
        }}
      >
        <label>
          {messages.pairing.codeLabel}
          <input
            value={code}
            inputMode="numeric"
            autoComplete="off"
            maxLength={16}
            onInput={(event) => setCode((event.currentTarget as HTMLInputElement).value)}
          />
        </label>
        <button type="submit" class="primary" disabled={working || !code.trim()}>
          {working ? messages.pairing.working : messages.pairing.submit}
        </button>
      </form>
      {problem && (
        <p class="notice problem" role="alert">
          {problem}
        </p>
      )}
    </main>
  );
}
