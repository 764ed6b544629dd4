/**
 * What makes a browser tab behave like a kiosk: the screen stays on, storage is not evicted,
 * the app shell is cached, and gestures that would leave the next volunteer a zoomed or
 * scrolled screen do nothing.
 */

/** Holds a screen wake lock; the browser drops it whenever the page is hidden, so it is taken again on return. */
export function keepScreenAwake(): void {
  if (!('wakeLock' in navigator)) return;
  const acquire = () => {
    if (document.visibilityState === 'visible') navigator.wakeLock.request('screen').catch(() => undefined);
  };
  acquire();
  document.addEventListener('visibilitychange', acquire);
}

/** Asks that the offline queue never be evicted under storage pressure. */
export function requestPersistentStorage(): void {
  navigator.storage?.persist?.().catch(() => undefined);
}

/**
 * Registers the worker that caches the app shell, and keeps trying until one is active: an
 * install that fails (the Wi-Fi dropped while the shell downloaded, the PC restarting) would
 * otherwise leave a tablet that is never reloaded with no offline shell at all.
 */
export function registerServiceWorker(retryMs = 30_000): void {
  // Only the built app has a service worker; the dev server has none.
  if (!('serviceWorker' in navigator) || import.meta.env.DEV) return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const retry = () => {
    clearTimeout(timer);
    timer = setTimeout(attempt, retryMs);
  };
  // Registering again after a failed install starts a fresh install of the same script.
  const attempt = () => {
    clearTimeout(timer);
    navigator.serviceWorker.register(`${import.meta.env.BASE_URL}sw.js`, { scope: import.meta.env.BASE_URL }).then((registration) => {
      if (registration.active) return;
      const worker = registration.installing ?? registration.waiting;
      if (!worker) return retry();
      worker.addEventListener('statechange', () => {
        if (worker.state === 'redundant' && !registration.active) retry();
      });
    }, retry);
  };
  window.addEventListener('online', attempt);
  attempt();
}

export function blockZoomAndSelection(): void {
  const stop = (event: Event) => event.preventDefault();
  // Pinch zoom on iOS Safari ignores the viewport meta; Ctrl+wheel zooms a desktop browser.
  document.addEventListener('gesturestart', stop);
  document.addEventListener('wheel', (event) => event.ctrlKey && event.preventDefault(), { passive: false });
  // Long presses open the staff settings; the browser's own menu must not appear instead.
  document.addEventListener('contextmenu', stop);
}
