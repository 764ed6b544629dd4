import type { LanInfo } from '../api/types.ts';
import { ErrorNotice, Loading } from '../components/notice.tsx';
import { Page } from '../components/page.tsx';
import { QrCode } from '../components/qr-code.tsx';
import { useMessages } from '../i18n/index.tsx';
import { useResource } from '../use-resource.ts';
import { HubLinkPanel } from './hub-link-panel.tsx';

/**
 * How tablets reach this PC: every address it has on the LAN, each with a QR code of the kiosk
 * (HTTPS when it is on, as the tablet camera needs) and the setup guide that makes a tablet trust it.
 */
export function ConnectionPage() {
  const m = useMessages();
  const lan = useResource<LanInfo>('/lan');
  const data = lan.data;
  return (
    <Page title={m.nav.connection} subtitle={m.connection.intro}>
      <ErrorNotice error={lan.error} />
      {!data ? (
        !lan.error && <Loading />
      ) : (
        <>
          <p class={`notice ${data.httpsPort ? 'notice--ok' : 'notice--warn'}`}>
            {data.httpsPort ? m.connection.httpsOn(data.httpsPort) : m.connection.httpsOff}
            {data.caFingerprint && (
              <>
                {' '}
                {m.connection.fingerprint} <span class="mono fingerprint">{data.caFingerprint}</span>
              </>
            )}
          </p>
          {data.addresses.length === 0 && <p class="notice notice--warn">{m.connection.noAddress}</p>}
          <div class="addresses">
            {data.addresses.map((address) => (
              <article key={address.host} class="panel address" data-host={address.host}>
                <header class="panel__header">
                  <h2 class="mono">{address.host}</h2>
                  <span class="badge">{m.connection.kinds[address.kind]}</span>
                </header>
                <div class="address__body">
                  <QrCode text={address.kioskUrl} label={m.connection.qrLabel(address.host)} size={180} />
                  <dl class="address__links">
                    <dt>{m.connection.kiosk}</dt>
                    <dd>
                      <a class="mono" href={address.kioskUrl} target="_blank" rel="noopener">
                        {address.kioskUrl}
                      </a>
                    </dd>
                    <dt>{m.connection.setup}</dt>
                    <dd>
                      <a class="mono" href={address.setupUrl} target="_blank" rel="noopener">
                        {address.setupUrl}
                      </a>
                    </dd>
                    <dt>{m.connection.admin}</dt>
                    <dd class="mono">{address.adminUrl}</dd>
                  </dl>
                </div>
                {address.kind === 'mdns' && <p class="muted">{data.mdnsAnnounced ? m.connection.mdnsHint : m.connection.mdnsOff}</p>}
              </article>
            ))}
          </div>
        </>
      )}
      <HubLinkPanel />
    </Page>
  );
}
