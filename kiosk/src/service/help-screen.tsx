import { useState } from 'preact/hooks';
import type { KioskConnection } from '../connection.ts';
import { errorText, useMessages } from '../i18n/index.ts';
import { categoryValues, useServiceMessages } from './service-messages.ts';

/**
 * 我要求助: for someone who has never used a tablet. One tap on a large category button, then a
 * phone number (the only thing required) and, if they like, a few words and where. The answer
 * is the request number to read out; staff call back.
 */
export function HelpScreen({ connection, onDone }: { connection: () => KioskConnection | null; onDone: () => void }) {
  const s = useServiceMessages();
  const messages = useMessages();
  const [category, setCategory] = useState<string | null>(null);
  const [fields, setFields] = useState({ details: '', phone: '', place: '', requesterName: '' });
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
  const field = (key: keyof typeof fields, label: string, type = 'text') => (
    <label class="help-field">
      <span>{label}</span>
      <input name={key} type={type} inputMode={type === 'tel' ? 'numeric' : undefined} value={fields[key]} onInput={(event) => { setProblem(null); setFields({ ...fields, [key]: event.currentTarget.value.trim() }); }} />
    </label>
  );
  return (
    <section class="overlay help" data-screen="help-form">
      <h1>{s.categories[categoryValues.indexOf(category)] ?? category}</h1>
      <div class="help-fields">
        {field('phone', s.helpPhone, 'tel')}
        {field('requesterName', s.helpName)}
        {field('details', s.helpWords)}
        {field('place', s.helpPlace)}
      </div>
      {problem && <p class="task-problem" role="alert">{problem}</p>}
      <div class="scan-buttons">
        <button class="big-button secondary" onClick={() => setCategory(null)}>{s.back}</button>
        <button class="big-button forgot" data-action="send-help" disabled={busy} onClick={() => void send()}>{s.send}</button>
      </div>
    </section>
  );
}

function nonEmpty(fields: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).filter(([key, value]) => key !== 'phone' && value));
}
