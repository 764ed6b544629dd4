import { render } from 'preact';
import { App } from './app.tsx';
import { unlockAudioOnFirstTouch } from './feedback.ts';
import { blockZoomAndSelection, keepScreenAwake, registerServiceWorker, requestPersistentStorage } from './kiosk-device.ts';
import { OfflineStore } from './offline-queue.ts';
import { takePairingCodeFromAddress } from './pairing.ts';
import './styles.css';

const pairingCode = takePairingCodeFromAddress();
registerServiceWorker();
requestPersistentStorage();
keepScreenAwake();
blockZoomAndSelection();
unlockAudioOnFirstTouch();

void OfflineStore.open().then((store) => render(<App store={store} pairingCode={pairingCode} />, document.getElementById('app')!));
