import { useEffect, useState } from 'preact/hooks';
import type { KioskConnection } from '../connection.ts';
import { errorText, useMessages } from '../i18n/index.ts';
import { DigitKeys } from '../screens/keypad-screen.tsx';
import { useServiceMessages } from './service-messages.ts';

/** A request number is the year and a serial: 2026-0042. */
const YEAR_DIGITS = 4;
const SERIAL_DIGITS = { min: 4, max: 6 };
const PHONE_DIGITS = 4;
/** Someone who walked away leaves the next person a fresh scanning screen. */
const GIVE_UP_MS = 90_000;

type Step = 'number' | 'phone' | 'stars';

/** 2026 0042 typed as digits, shown and sent as 2026-0042. */
function requestNumber(digits: string): string {
  return digits.length > YEAR_DIGITS ? `${digits.slice(0, YEAR_DIGITS)}-${digits.slice(YEAR_DIGITS)}` : digits;
}

/**
 * 评价服务: the resident rates the help they had, with no card and no typing beyond digits. The
 * request number (on the slip or said on the phone) and their phone's last 4 digits prove it is
 * theirs; then one tap on the stars and, if they like, a tap on a ready phrase.
 */
export function RateScreen({ connection, onDone }: { connection: () => KioskConnection | null; onDone: () => void }) {
  const s = useServiceMessages();
  const messages = useMessages();
  const k = messages.keypad;
  const [step, setStep] = useState<Step>('number');
  const [numberDigits, setNumberDigits] = useState('');
  const [phoneDigits, setPhoneDigits] = useState('');
  const [score, setScore] = useState(0);
  const [phrases, setPhrases] = useState<string[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [thanked, setThanked] = useState<string | null>(null);
  // One opId per attempt: a second tap on 提交 is answered from the first, never rated twice.
  const [opId, setOpId] = useState(() => crypto.randomUUID());

  useEffect(() => {
    const timer = setTimeout(onDone, thanked ? 10_000 : GIVE_UP_MS);
    return () => clearTimeout(timer);
  }, [step, numberDigits, phoneDigits, score, phrases, thanked]);

  const send = async () => {
    setBusy(true);
    setProblem(null);
    try {
      const comment = phrases.join('，');
      const ack = await connection()?.serviceEvent('request:rate', { opId, number: requestNumber(numberDigits), phoneLast4: phoneDigits, score, ...(comment ? { comment } : {}) });
      if (!ack) return setProblem(s.offline);
      if (ack.ok) return setThanked(ack.number);
      setOpId(crypto.randomUUID());
      if (ack.error.code === 'PHONE_DIGITS_WRONG') {
        setPhoneDigits('');
        setStep('number');
        return setProblem(s.rateNoMatch);
      }
      setProblem(ack.error.code === 'REQUEST_STATE' ? s.rateNotYet : errorText(messages, ack.error.code).message);
    } finally {
      setBusy(false);
    }
  };

  if (thanked) {
    return (
      <section class="overlay help help-sent" data-screen="rate-thanks" onClick={onDone}>
        <div class="result-icon" aria-hidden="true">✓</div>
        <h1>{s.rateThanks}</h1>
        <p class="help-hint">{s.rateThanksHint(thanked)}</p>
        <button class="big-button forgot" onClick={onDone}>{s.back}</button>
      </section>
    );
  }

  if (step === 'stars') {
    return (
      <section class="overlay help rate" data-screen="rate-stars">
        <h1>{s.rateStarsTitle(requestNumber(numberDigits))}</h1>
        <div class="rate-stars" role="radiogroup" aria-label={s.rateStarsTitle(requestNumber(numberDigits))}>
          {[1, 2, 3, 4, 5].map((n) => (
            <button key={n} class={n <= score ? 'rate-star rate-star-on' : 'rate-star'} role="radio" aria-checked={n === score} aria-label={s.starsLabel(n)} data-score={n} onClick={() => setScore(n)}>
              ★
            </button>
          ))}
        </div>
        <p class="rate-score-text" aria-live="polite">{score ? s.scoreWords[score - 1] : s.rateTapStars}</p>
        <div class="rate-phrases">
          {s.ratePhrases.map((phrase) => {
            const on = phrases.includes(phrase);
            return (
              <button key={phrase} class={on ? 'big-button rate-phrase rate-phrase-on' : 'big-button secondary rate-phrase'} aria-pressed={on} onClick={() => setPhrases(on ? phrases.filter((p) => p !== phrase) : [...phrases, phrase])}>
                {phrase}
              </button>
            );
          })}
        </div>
        {problem && <p class="task-problem" role="alert">{problem}</p>}
        <div class="scan-buttons">
          <button class="big-button secondary" onClick={() => setStep('phone')}>{s.back}</button>
          <button class="big-button forgot" data-action="send-rating" disabled={!score || busy} onClick={() => void send()}>{s.rateSend}</button>
        </div>
      </section>
    );
  }

  const askingPhone = step === 'phone';
  const digits = askingPhone ? phoneDigits : numberDigits;
  const setDigits = askingPhone ? setPhoneDigits : setNumberDigits;
  const maxDigits = askingPhone ? PHONE_DIGITS : YEAR_DIGITS + SERIAL_DIGITS.max;
  const ready = askingPhone ? digits.length === PHONE_DIGITS : digits.length >= YEAR_DIGITS + SERIAL_DIGITS.min;
  return (
    <section class="overlay keypad rate" data-screen={askingPhone ? 'rate-phone' : 'rate-number'}>
      <div class="keypad-entry">
        <h1>{askingPhone ? s.ratePhoneTitle : s.rateNumberTitle}</h1>
        <p class="keypad-hint">{askingPhone ? s.ratePhoneHint : s.rateNumberHint}</p>
        <output class="keypad-display" data-testid="rate-display">
          {askingPhone ? digits.padEnd(PHONE_DIGITS, '_') : requestNumber(digits) || ' '}
        </output>
        {problem && <p class="task-problem" role="alert">{problem}</p>}
        <div class="keypad-actions">
          <button class="secondary" onClick={() => (askingPhone ? setStep('number') : onDone())}>
            {k.back}
          </button>
          <button class="primary" disabled={!ready} onClick={() => { setProblem(null); setStep(askingPhone ? 'stars' : 'phone'); }}>
            {k.next}
          </button>
        </div>
      </div>
      <DigitKeys
        onDigit={(digit) => setDigits((current) => (current.length < maxDigits ? current + digit : current))}
        onClear={() => setDigits('')}
        onDelete={() => setDigits((current) => current.slice(0, -1))}
      />
    </section>
  );
}
