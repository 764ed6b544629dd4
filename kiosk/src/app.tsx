import { useEffect, useState } from 'preact/hooks';
import { CheckinKiosk } from './checkin-kiosk.tsx';
import { CounterKiosk } from './counter/counter-kiosk.tsx';
import { catalogs, MessagesContext } from './i18n/index.ts';
import type { OfflineStore } from './offline-queue.ts';
import { forgetPairing, loadPairing, type Pairing } from './pairing.ts';
import { PairingScreen, type PairingNotice } from './screens/pairing-screen.tsx';
import { loadSettings, saveSettings, type KioskSettings } from './settings.ts';

/** Paired or not, in which language, and as which kind of tablet: check-in kiosk or redemption counter. */
export function App({ store, pairingCode }: { store: OfflineStore; pairingCode: string | null }) {
  const [settings, setSettings] = useState<KioskSettings>(loadSettings);
  // A code in the address pairs the tablet anew even if it was paired before (it may have been moved).
  const [pairing, setPairing] = useState<Pairing | null>(() => (pairingCode ? null : loadPairing()));
  const [notice, setNotice] = useState<PairingNotice>(null);
  // Single use: once tried, a code from the address must not be tried again after a later unpairing.
  const [addressCode, setAddressCode] = useState(pairingCode);
  const messages = catalogs[settings.language];

  useEffect(() => {
    document.documentElement.lang = messages.htmlLang;
    document.title = messages.appTitle;
  }, [messages]);

  const unpair = (why: PairingNotice) => {
    forgetPairing();
    setAddressCode(null);
    setNotice(why);
    setPairing(null);
  };

  return (
    <MessagesContext.Provider value={messages}>
      {!pairing ? (
        <PairingScreen
          initialCode={addressCode}
          notice={notice}
          onPaired={(paired) => {
            setAddressCode(null);
            setPairing(paired);
          }}
        />
      ) : pairing.mode === 'counter' ? (
        <CounterKiosk
          pairing={pairing}
          store={store}
          settings={settings}
          onSettingsChange={(next) => {
            saveSettings(next);
            setSettings(next);
          }}
          onRevoked={() => unpair('revoked')}
          onUnpair={() => unpair(null)}
        />
      ) : pairing.mode !== 'checkin' ? (
        <main class="pairing" data-screen="wrong-mode">
          <h1>{messages.wrongMode.title}</h1>
          <p>{messages.wrongMode.body}</p>
          <button class="secondary" onClick={() => unpair(null)}>
            {messages.settings.unpair}
          </button>
        </main>
      ) : (
        <CheckinKiosk
          pairing={pairing}
          store={store}
          settings={settings}
          onSettingsChange={(next) => {
            saveSettings(next);
            setSettings(next);
          }}
          onRevoked={() => unpair('revoked')}
          onUnpair={() => unpair(null)}
        />
      )}
    </MessagesContext.Provider>
  );
}
