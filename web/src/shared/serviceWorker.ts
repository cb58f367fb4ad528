// Registers the service worker (web/sw/sw.js, built to /sw.js) and tells the page when a new version is
// waiting, so the person can choose when to reload (never in the middle of typing a message).

export interface UpdateListener {
  (apply: () => void): void;
}

/** Offer the waiting worker: `apply` lets it take over, and the page reloads once it has. */
function offer(worker: ServiceWorker, onUpdate: UpdateListener): void {
  onUpdate(() => {
    let reloaded = false;
    navigator.serviceWorker.addEventListener('controllerchange', () => {
      if (reloaded) return;
      reloaded = true;
      location.reload();
    });
    worker.postMessage('skip-waiting');
  });
}

export async function registerServiceWorker(onUpdate: UpdateListener): Promise<void> {
  if (!('serviceWorker' in navigator)) return;
  const registration = await navigator.serviceWorker.register('/sw.js', { scope: '/' });
  // A first install has no controller yet: nothing to update from.
  if (registration.waiting && navigator.serviceWorker.controller) offer(registration.waiting, onUpdate);
  registration.addEventListener('updatefound', () => {
    const installing = registration.installing;
    installing?.addEventListener('statechange', () => {
      if (installing.state === 'installed' && navigator.serviceWorker.controller) offer(installing, onUpdate);
    });
  });
  // A tab left open for days still hears of a deploy: look again whenever it comes back into view.
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') void registration.update().catch(() => undefined);
  });
}
