import { useEffect, useState } from 'preact/hooks';
import { useMessages } from '../i18n/index.ts';
import type { CardEntry } from '../scan-service.ts';

const CARD_DIGITS = { min: 4, max: 10 };
const PHONE_DIGITS = 4;
const GIVE_UP_MS = 60_000;

/**
 * "Forgot card": the card number, then the phone's last 4 digits, on keys large enough for
 * unsteady fingers. The number alone proves nothing (it is printed on the card), hence the phone.
 */
export function KeypadScreen({ onSubmit, onCancel }: { onSubmit: (entry: CardEntry) => void; onCancel: () => void }) {
  const messages = useMessages();
  const k = messages.keypad;
  const [cardNo, setCardNo] = useState<string | null>(null);
  const [digits, setDigits] = useState('');
  const askingPhone = cardNo !== null;
  const maxDigits = askingPhone ? PHONE_DIGITS : CARD_DIGITS.max;
  const ready = askingPhone ? digits.length === PHONE_DIGITS : digits.length >= CARD_DIGITS.min;

  useEffect(() => {
    const timer = setTimeout(onCancel, GIVE_UP_MS);
    return () => clearTimeout(timer);
  }, [digits, cardNo]);

  const press = (digit: string) => setDigits((current) => (current.length < maxDigits ? current + digit : current));
  const confirm = () => {
    if (!ready) return;
    if (!askingPhone) {
      setCardNo(digits);
      setDigits('');
    } else {
      onSubmit({ code: cardNo, phoneLast4: digits });
    }
  };
  const back = () => {
    if (!askingPhone) return onCancel();
    setDigits(cardNo);
    setCardNo(null);
  };

  return (
    <section class="overlay keypad" data-screen="keypad">
      <div class="keypad-entry">
        <h1>{askingPhone ? k.phoneTitle : k.cardTitle}</h1>
        <p class="keypad-hint">{askingPhone ? k.phoneHint : k.cardHint}</p>
        <output class="keypad-display" data-testid="keypad-display">
          {askingPhone ? digits.padEnd(PHONE_DIGITS, '_') : digits || ' '}
        </output>
        <div class="keypad-actions">
          <button class="secondary" onClick={back}>
            {k.back}
          </button>
          <button class="primary" disabled={!ready} onClick={confirm}>
            {askingPhone ? k.confirm : k.next}
          </button>
        </div>
      </div>
      <DigitKeys
        onDigit={press}
        onClear={() => setDigits('')}
        onDelete={() => setDigits((current) => current.slice(0, -1))}
      />
    </section>
  );
}

/** The big 3×4 digit pad, shared by "forgot card" and the counter's PIN entry. */
export function DigitKeys({ onDigit, onClear, onDelete }: { onDigit: (digit: string) => void; onClear: () => void; onDelete: () => void }) {
  const k = useMessages().keypad;
  return (
    <div class="keypad-keys">
      {['1', '2', '3', '4', '5', '6', '7', '8', '9'].map((digit) => (
        <button key={digit} class="key" onClick={() => onDigit(digit)}>
          {digit}
        </button>
      ))}
      <button class="key key-small" onClick={onClear}>
        {k.clear}
      </button>
      <button class="key" onClick={() => onDigit('0')}>
        0
      </button>
      <button class="key key-small" onClick={onDelete}>
        {k.deleteDigit}
      </button>
    </div>
  );
}
