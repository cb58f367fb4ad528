// The entry into the messaging and refill pages, which load on first use (their own
// chunk), and the navigation label with the unread count (main bundle: it shows on every page).

import { msg, t } from '@lingui/core/macro';
import '../messages-nav.css';
import { useEffect, useState } from 'preact/hooks';
import { lazyArea } from '../../../shared/ui/LazyArea';
import { useApp } from '../../../shared/context';
import { onUnreadChanged } from '../messages';
import { messagesApi } from '../api';
import { useLoad } from '../../../shared/hooks/useLoad';

export { isPatientMessagesPath, isStaffMessagesPath } from '../messages';

/** The messaging and refill pages, patients' and staff's. */
export const MessagesArea = lazyArea(() => import('./MessagesRoutes').then((m) => m.MessagesRoutes), {
  title: msg`Messages`,
  loadingLabel: msg`Loading messages…`,
  messages: 'messages',
});

/** "Messages" with a badge counting conversations that have a reply the patient has not read yet. */
export function MessagesNavLabel() {
  const { api, patient } = useApp();
  const [tick, setTick] = useState(0);
  const pid = patient?.id ?? null;
  useEffect(() => onUnreadChanged(() => setTick((n) => n + 1)), []);
  const unread = useLoad((signal) => messagesApi(api).unread(pid!, signal), [pid, tick], { enabled: pid !== null, keepData: true });
  const count = unread.error ? 0 : (unread.data?.unread_threads ?? 0);
  return (
    <span class="nav-with-badge">
      {t`Messages`}
      {count > 0 ? (
        <span class="nav-badge" data-testid="messages-unread-badge">
          {count}
          <span class="visually-hidden"> {t`unread`}</span>
        </span>
      ) : null}
    </span>
  );
}
