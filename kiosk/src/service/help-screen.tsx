import { useState } from 'preact/hooks';
import type { KioskConnection } from '../connection.ts';
import { errorText, useMessages } from '../i18n/index.ts';
import { DigitKeys } from '../screens/keypad-screen.tsx';
import { categoryValues, useServiceMessages } from './service-messages.ts';

const PHONE_DIGITS = 11;

/** 13712345678 shown as 137 1234 5678, as people read a number aloud. */
function spacedPhone(digits: string): string {
  return [digits.slice(0, 3), digits.slice(3, 7), digits.slice(7)].filter(Boolean).join(' ');
}

/**
 * 我要求助: for someone who has never used a tablet. One tap on a large category button, then a
 * phone number (the only thing required) on the same big digit pad as 忘带卡, never the tablet's
 * own keyboard, and, if they like, a few words and where. The answer is the request number to
 * read out; staff call back.
 */
export function HelpScreen({ connection, onDone }: { connection: () => KioskConnection | null; onDone: () => void }) {
  const s = useServiceMessages();
  const messages = useMessages();
  const [category, setCategory] = useState<string | null>(null);
  const [fields, setFields] = useState({ details: '', phone: '', place: '', requesterName: '' });
  const [phoneDone, setPhoneDone] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [sent, setSent] = useState<string | null>(null);
  const [opId] = useState(() => crypto.randomUUID());
  const [busy, setBusy] = useState(false);

  const send = async () => {
    if (!/^1\d{10}$/.test(fields.phone)) return setProblem(s.phoneInvalid);
    setBusy(true);
    setProblem(null);
    try {
      // The same opId on a second tap: the server answers with the first request, never makes two.
      const ack = await connection()?.serviceEvent('help:request', { opId, category: category!, ...nonEmpty(fields), phone: fields.phone });
      if (!ack) return setProblem(s.offline);
      if (!ack.ok) return setProblem(errorText(messages, ack.error.code).message);
      setSent(ack.number);
    } finally {
      setBusy(false);
    }
  };

  if (sent) {
    return (
      <section class="overlay help help-sent" data-screen="help-sent" onClick={onDone}>
        <div class="result-icon" aria-hidden="true">✓</div>
        <h1>{s.sentTitle}</h1>
        <p class="help-number" data-testid="help-number">{s.sentNumber(sent)}</p>
        <p class="help-hint">{s.sentHint}</p>
        <p class="help-hint">{s.sentRateHint}</p>
        <button class="big-button forgot" onClick={onDone}>{s.back}</button>
      </section>
    );
  }
  if (!category) {
    return (
      <section class="overlay help" data-screen="help">
        <h1>{s.helpTitle}</h1>
        <div class="help-categories">
          {s.categories.map((label, index) => (
            <button key={label} class="big-button help-category" data-category={categoryValues[index]} onClick={() => setCategory(categoryValues[index]!)}>{label}</button>
          ))}
        </div>
        <button class="big-button secondary" onClick={onDone}>{s.back}</button>
      </section>
    );
  }
  if (!phoneDone) {
    const typePhone = (phone: string) => {
      setProblem(null);
      setFields({ ...fields, phone });
    };
    return (
      <section class="overlay keypad help-phone" data-screen="help-phone">
        <div class="keypad-entry">
          <h1>{s.helpPhoneTitle}</h1>
          <p class="keypad-hint">{s.helpPhoneHint}</p>
          <output class="keypad-display" data-testid="help-phone">{spacedPhone(fields.phone) || ' '}</output>
          {problem && <p class="task-problem" role="alert">{problem}</p>}
          <div class="keypad-actions">
            <button class="secondary" onClick={() => setCategory(null)}>{messages.keypad.back}</button>
            <button
              class="primary"
              data-action="phone-next"
              disabled={fields.phone.length !== PHONE_DIGITS}
              onClick={() => (/^1\d{10}$/.test(fields.phone) ? setPhoneDone(true) : setProblem(s.phoneInvalid))}
            >
              {messages.keypad.next}
            </button>
          </div>
        </div>
        <DigitKeys
          onDigit={(digit) => fields.phone.length < PHONE_DIGITS && typePhone(fields.phone + digit)}
          onClear={() => typePhone('')}
          onDelete={() => typePhone(fields.phone.slice(0, -1))}
        />
      </section>
    );
  }
  const field = (key: Exclude<keyof typeof fields, 'phone'>, label: string) => (
    <label class="help-field">
      <span>{label}</span>
      <input name={key} type="text" value={fields[key]} onInput={(event) => { setProblem(null); setFields({ ...fields, [key]: event.currentTarget.value.trim() }); }} />
    </label>
  );
  return (
    <section class="overlay help" data-screen="help-form">
      <h1>{s.categories[categoryValues.indexOf(category)] ?? category}</h1>
      <p class="help-phone-line" data-testid="help-phone-line">{s.helpPhone}：{spacedPhone(fields.phone)}</p>
      <div class="help-fields">
        {field('requesterName', s.helpName)}
        {field('details', s.helpWords)}
        {field('place', s.helpPlace)}
      </div>
      {problem && <p class="task-problem" role="alert">{problem}</p>}
      <div class="scan-buttons">
        <button class="big-button secondary" onClick={() => setPhoneDone(false)}>{s.back}</button>
        <button class="big-button forgot" data-action="send-help" disabled={busy} onClick={() => void send()}>{s.send}</button>
      </div>
    </section>
  );
}

function nonEmpty(fields: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).filter(([key, value]) => key !== 'phone' && value));
}
