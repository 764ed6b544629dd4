import QRCode from 'qrcode';
import { useEffect, useState } from 'preact/hooks';
import type { MeLinkAck } from '@protocol/events.ts';
import { errorText, useMessages } from '../i18n/index.ts';

type State = { kind: 'making' } | { kind: 'shown'; svg: string; url: string; expiresAt: number } | { kind: 'failed'; message: string; next?: string };

/**
 * 用手机查看: a one-time QR code the volunteer scans with the phone's own camera app. The phone
 * needs no web camera and no certificate: the link is plain HTTP on the address this tablet uses.
 */
export function PhoneLinkScreen({ code, request, onDone }: { code: string; request: (code: string) => Promise<MeLinkAck | null>; onDone: () => void }) {
  const messages = useMessages();
  const text = messages.phoneLink;
  const [state, setState] = useState<State>({ kind: 'making' });
  const [now, setNow] = useState(Date.now());

  useEffect(() => {
    let live = true;
    void request(code).then(async (ack) => {
      if (!live) return;
      if (!ack) return setState({ kind: 'failed', message: text.offline });
      if (!ack.ok) {
        const shown = errorText(messages, ack.error.code);
        return setState({ kind: 'failed', message: shown.message, next: shown.next });
      }
      const svg = await QRCode.toString(ack.url, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
      // The tablet's clock may be off: count down the lifetime the server gives, from now.
      if (live) setState({ kind: 'shown', svg, url: ack.url, expiresAt: Date.now() + ack.expiresInSeconds * 1000 });
    });
    return () => {
      live = false;
    };
  }, [code]);

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);

  const secondsLeft = state.kind === 'shown' ? Math.max(0, Math.round((state.expiresAt - now) / 1000)) : 0;
  useEffect(() => {
    if (state.kind === 'shown' && secondsLeft === 0) onDone();
  }, [secondsLeft, state.kind]);

  return (
    <section class="overlay phone-link" data-screen="phone-link">
      <h1>{text.title}</h1>
      {state.kind === 'making' && <p class="phone-link-hint">{text.making}</p>}
      {state.kind === 'shown' && (
        <>
          <div class="phone-link-qr" data-url={state.url} dangerouslySetInnerHTML={{ __html: state.svg }} />
          <p class="phone-link-expires">{text.expires(secondsLeft)}</p>
          <p class="phone-link-hint">{text.hint}</p>
        </>
      )}
      {state.kind === 'failed' && (
        <>
          <p class="phone-link-hint">{state.message}</p>
          {state.next && <p class="phone-link-hint">{state.next}</p>}
        </>
      )}
      <button type="button" class="phone-link-close" onClick={onDone}>
        {text.close}
      </button>
    </section>
  );
}
