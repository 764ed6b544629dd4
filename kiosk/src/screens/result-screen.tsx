import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { ScanSuccess } from '@protocol/events.ts';
import { errorText, useMessages, type ErrorText, type Messages } from '../i18n/index.ts';
import type { ScanOutcome } from '../scan-service.ts';
import { formatNumber, formatTime } from '../server-clock.ts';
import { Stars } from './stars.tsx';

/** A scan's outcome, or a problem that is not a server error code (e.g. "my record" while offline). */
export type ShownOutcome = Exclude<ScanOutcome, { kind: 'choose' }> | { kind: 'problem'; text: ErrorText };

// A problem needs time to read; a success is best out of the way for the next person.
const SHOW_MS = { success: 5000, queued: 5000, failure: 8000, problem: 8000 } as const;
const EXTRA_MS = 10_000;

/**
 * Full-screen answer to a scan, big enough to read from a step away: green when it worked, red
 * with one plain sentence and what to do when not, blue when saved offline. Goes away by
 * itself, or at a tap.
 */
export function ResultScreen({ outcome, timeZone, onDone, onPhoneLink, extra }: { outcome: ShownOutcome; timeZone: string; onDone: () => void; onPhoneLink?: () => void; extra?: ComponentChildren }) {
  const messages = useMessages();
  // A button that came with the result (e.g. 我的任务) needs time to be read and tapped.
  const hasExtra = !!extra;
  useEffect(() => {
    const timer = setTimeout(onDone, SHOW_MS[outcome.kind] + (hasExtra ? EXTRA_MS : 0));
    return () => clearTimeout(timer);
  }, [outcome, hasExtra]);

  return (
    <section class={`result result-${outcome.kind === 'problem' ? 'failure' : outcome.kind}`} data-screen="result" data-kind={outcome.kind} onClick={onDone} role="status">
      {outcome.kind === 'success' && <Success ack={outcome.ack} timeZone={timeZone} messages={messages} />}
      {outcome.kind === 'failure' && <Failure text={errorText(messages, outcome.code)} messages={messages} extra={gateLines(messages, outcome.details)} />}
      {outcome.kind === 'problem' && <Failure text={outcome.text} messages={messages} />}
      {outcome.kind === 'queued' && (
        <>
          <div class="result-icon" aria-hidden="true">
            ✓
          </div>
          {outcome.displayName && <p class="result-name">{messages.result.hello(outcome.displayName)}</p>}
          <h1 class="result-title">{messages.result.savedOffline}</h1>
          <p class="result-line" data-testid="queue-length">
            {messages.result.waiting(outcome.queueLength)}
          </p>
        </>
      )}
      {outcome.kind === 'success' && onPhoneLink && (
        <button
          type="button"
          class="result-phone"
          data-testid="phone-link"
          onClick={(event) => {
            // The result goes away at a tap; this tap opens the phone code instead.
            event.stopPropagation();
            onPhoneLink();
          }}
        >
          📱 {messages.phoneLink.button}
        </button>
      )}
      {extra}
      <p class="result-continue">{messages.result.tapToContinue}</p>
    </section>
  );
}

function Success({ ack, timeZone, messages }: { ack: ScanSuccess; timeZone: string; messages: Messages }) {
  const r = messages.result;
  const action = ack.action === 'repeat' ? ack.previousAction : ack.action;
  const title =
    ack.action === 'repeat' ? (action === 'check-out' ? r.repeatCheckOut : r.repeatCheckIn) : action === 'check-out' ? r.checkOut : r.checkIn;
  const volunteer = ack.volunteer;
  return (
    <>
      {ack.photoUrl ? (
        <Portrait key={ack.photoUrl} url={ack.photoUrl} alt={messages.photo.alt(volunteer.displayName)} />
      ) : (
        <div class="result-icon" aria-hidden="true">
          ✓
        </div>
      )}
      <p class="result-name">{volunteer.displayName}</p>
      <h1 class="result-title">{title}</h1>
      <p class="result-line">{ack.action === 'repeat' ? r.repeatHint : r.at(formatTime(ack.at, timeZone, messages.htmlLang))}</p>
      {ack.action === 'check-out' && ack.hoursEarned !== undefined && (
        <p class="result-line result-earned">
          {r.hoursEarned(formatNumber(ack.hoursEarned))}
          {ack.pointsEarned !== undefined && <span> · {r.pointsEarned(formatNumber(ack.pointsEarned))}</span>}
        </p>
      )}
      {volunteer.newStar && <p class="result-celebrate">🎉 {r.newStar(volunteer.stars)}</p>}
      <div class="result-figures">
        <span>{r.totalHours(formatNumber(volunteer.totalHours))}</span>
        <Stars count={volunteer.stars} />
        <span>{r.balance(formatNumber(volunteer.points))}</span>
      </div>
    </>
  );
}

/**
 * The photo staff took of this volunteer (issue 12), in the place of the big tick, with a small
 * tick on it. Its address is a one-off pass from this scan's ack; if it cannot load (the minute
 * ran out, the Wi-Fi dropped) the plain tick shows instead.
 */
function Portrait({ url, alt }: { url: string; alt: string }) {
  const [failed, setFailed] = useState(false);
  if (failed) {
    return (
      <div class="result-icon" aria-hidden="true">
        ✓
      </div>
    );
  }
  return (
    <div class="result-portrait">
      <img class="result-portrait__image" src={url} alt={alt} data-testid="result-photo" onError={() => setFailed(true)} />
      <span class="result-portrait__tick" aria-hidden="true">
        ✓
      </span>
    </div>
  );
}

/** A refusal at the gate says what is missing and whom to ask, from the error's details (no personal data in them). */
function gateLines(messages: Messages, details: Record<string, unknown> | undefined): string[] {
  const lines: string[] = [];
  const missing = details?.missing;
  if (Array.isArray(missing) && missing.every((c) => typeof c === 'string') && missing.length > 0) lines.push(messages.gate.missing(missing as string[]));
  if (typeof details?.contact === 'string' && details.contact) lines.push(messages.gate.contact(details.contact));
  return lines;
}

function Failure({ text, messages, extra = [] }: { text: ErrorText; messages: Messages; extra?: string[] }) {
  return (
    <>
      <div class="result-icon" aria-hidden="true">
        ✕
      </div>
      <h1 class="result-title">{messages.result.failed}</h1>
      <p class="result-message">{text.message}</p>
      {extra.map((line) => (
        <p class="result-next" key={line} data-testid="gate-detail">
          {line}
        </p>
      ))}
      {text.next && <p class="result-next">{text.next}</p>}
    </>
  );
}
