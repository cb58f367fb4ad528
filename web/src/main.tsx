import './shared/styles/index.css';
import { t } from '@lingui/core/macro';
import { render } from 'preact';
import { createApi } from './shared/api/client';
import { App, startSignedInLoad } from './app';
import { createCognito, createEmailSignIn } from './shared/cognito';
import { loadConfig } from './shared/config';
import { activateLocale, currentLocale, initialLocale } from './shared/i18n';
import { Session } from './shared/session';
import { registerServiceWorker } from './shared/serviceWorker';
import { UpdatePrompt } from './shared/ui/UpdatePrompt';
import { LocaleRoot } from './shell/LocaleRoot';

async function start(root: HTMLElement): Promise<void> {
  // The language's catalog loads alongside the settings, so it costs no extra round trip.
  const locale = activateLocale(initialLocale()).catch(() => activateLocale('en'));
  let config;
  try {
    [config] = await Promise.all([loadConfig(), locale]);
  } catch {
    await locale.catch(() => undefined);
    render(
      <main id="main" class="boot-error">
        <h1>{t`The portal isn't available right now`}</h1>
        <p>{t`Please try again in a few minutes. If you need care, call your clinic. In an emergency, call 911.`}</p>
        <p>
          <button type="button" class="button button--primary" onClick={() => location.reload()}>
            {t`Try again`}
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
  startSignedInLoad(api, session, location.pathname);
  // Public and small: worth one round trip so the first paint already shows the clinic's name and colour.
  const clinicLocale = currentLocale(); // the language the clinic's own text is asked in
  const clinic = await api
    .clinic()
    .then((found) => ({ clinic: found, locale: clinicLocale }))
    .catch(() => null);
  render(
    <LocaleRoot>
      <App api={api} session={session} cognito={cognito} initialClinic={clinic} />
    </LocaleRoot>,
    root,
  );
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
