import './shared/styles/index.css';
import { render } from 'preact';
import { createApi } from './shared/api/client';
import { App } from './app';
import { createCognito, createEmailSignIn } from './shared/cognito';
import { loadConfig } from './shared/config';
import { Session } from './shared/session';
import { registerServiceWorker } from './shared/serviceWorker';
import { UpdatePrompt } from './shared/ui/UpdatePrompt';

async function start(root: HTMLElement): Promise<void> {
  let config;
  try {
    config = await loadConfig();
  } catch {
    render(
      <main id="main" class="boot-error">
        <h1>The portal isn't available right now</h1>
        <p>Please try again in a few minutes. If you need care, call your clinic. In an emergency, call 911.</p>
        <p>
          <button type="button" class="button button--primary" onClick={() => location.reload()}>
            Try again
          </button>
        </p>
      </main>,
      root,
    );
    return;
  }
  const cognito = createCognito({ endpoint: config.cognito.endpoint, clientId: config.cognito.clientId });
  const session = new Session({
    cognito,
    emailSignIn: createEmailSignIn({ apiBase: config.apiBase }),
    // keepalive: the request survives the page being closed or navigated away right after signing out
    endApiSession: (token) =>
      fetch(`${config.apiBase}/session/sign-out`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}` },
        keepalive: true,
      }),
  });
  const api = createApi({ base: config.apiBase, session });
  // Public and small: worth one round trip so the first paint already shows the clinic's name and colour.
  const clinic = await api.clinic().catch(() => null);
  render(<App api={api} session={session} cognito={cognito} initialClinic={clinic} />, root);
}

const root = document.getElementById('app');
if (root) void start(root);

// Installable app: the service worker keeps the shell; a new deploy is offered as "Reload", in its own
// root so the app's pages never re-render for it. Not in `npm run dev` (Vite serves unbundled modules).
if (import.meta.env.PROD) {
  window.addEventListener('load', () => {
    void registerServiceWorker((apply) => {
      const host = document.createElement('div');
      document.body.append(host);
      render(<UpdatePrompt onReload={apply} />, host);
    }).catch(() => undefined); // no worker (private mode, old browser): the portal works the same online
  });
}
