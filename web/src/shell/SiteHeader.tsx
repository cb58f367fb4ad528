// The site header: brand, the main navigation (a menu on phones) with the account and Sign out, Help, and
// for caregivers the switcher of whose record is being viewed.

import { t } from '@lingui/core/macro';
import { Icon, Logo } from '../shared/ui/Icons';
import { roleLabel } from '../shared/format';
import { Link } from '../router';
import { useApp } from '../shared/context';
import { MessagesNavLabel } from '../features/messages/pages/MessagesLazy';
import { LanguageSwitch } from './LanguageSwitch';
import { offers } from '../features/proxies/scope';

export interface SiteHeaderProps {
  menuOpen: boolean;
  onToggleMenu: () => void;
  announcement: string;
  onChoosePatient: (id: string) => void;
  /** Signed in, the account still loading: the header keeps the signed-in shape it is about to take. */
  signedIn?: boolean;
  holdRecordBar?: boolean;
}

export function SiteHeader({
  menuOpen,
  onToggleMenu,
  announcement,
  onChoosePatient,
  signedIn = false,
  holdRecordBar = false,
}: SiteHeaderProps) {
  const { api, clinic, me, patient, openHelp, session } = useApp();
  const isPatient = me?.user.role === 'patient';
  const patients = me?.patients ?? [];
  // A patient's language is on their record (the profile page); anyone else saves it on the account here.
  const saveLanguage = patients.some((p) => p.relationship === 'self')
    ? null
    : (language: string) => api.request('/me/language', { method: 'PUT', body: { language } });
  // Staff who have not enrolled an authenticator app can open nothing but the enrolment page.
  const mustEnrol = Boolean(me?.user.mfa_required && !me.user.mfa_enabled);
  const navLinks = mustEnrol
    ? []
    : isPatient
    ? [
        { href: '/', label: t`Home` },
        { href: '/record', label: t`Health record` },
        { href: '/appointments', label: t`Appointments` },
        { href: '/messages', label: <MessagesNavLabel /> },
        { href: '/billing', label: t`Billing` },
        { href: '/profile', label: t`Profile` },
        { href: '/access-log', label: t`Who viewed my record` },
      ].filter((l) => offers(patient, l.href))
    : me
      ? [
          { href: '/', label: t`Home` },
          ...(me.user.role === 'clinician' ? [{ href: '/staff/queue', label: t`My queue` }] : []),
          { href: '/staff/patients', label: t`Patients` },
          ...(me.user.role !== 'billing' ? [{ href: '/schedule', label: t`Schedule` }] : []),
          ...(me.user.role === 'front_desk' ? [{ href: '/schedule/day', label: t`Clinic day` }] : []),
          ...(me.user.role === 'clinician' ? [{ href: '/staff/results', label: t`Results to release` }] : []),
          { href: '/staff/messages', label: t`Messages` },
          ...(me.user.role === 'clinician' ? [{ href: '/staff/refills', label: t`Refills` }] : []),
          ...(me.user.role === 'billing' ? [{ href: '/staff/billing', label: t`Open balances` }] : []),
          ...(me.user.role === 'admin' ? [{ href: '/admin/staff', label: t`Staff accounts` }] : []),
        ]
      : [];
  // Who is signed in and Sign out: beside Help on wide screens, at the foot of the menu on phones (CSS shows
  // one of the two, so each width has a single Sign out).
  const account = (where: 'bar' | 'menu') =>
    me ? (
      <div class={`account account--${where}`}>
        <span class="account-name">
          <span class="visually-hidden">{t`Signed in as`} </span>
          {me.user.display_name}
          {!isPatient ? <span class="account-role"> · {roleLabel(me.user.role)}</span> : null}
        </span>
        <span class="account-actions">
          {saveLanguage ? <LanguageSwitch save={saveLanguage} /> : null}
          <button type="button" class="button button--ghost" onClick={() => session.signOut('user')}>
            <Icon name="signOut" size={20} />
            {t`Sign out`}
          </button>
        </span>
      </div>
    ) : null;
  return (
    <header class="site-header">
      <div class="header-inner">
        <Link href="/" class="brand">
          <Logo />
          <span class="brand-text">
            <span class="brand-name">{clinic?.name ?? t`Clinic Portal`}</span>
            <span class="brand-sub">{me && !isPatient ? t`Staff portal` : t`Patient portal`}</span>
          </span>
        </Link>
        {me ? (
          <nav id="site-nav" class={`site-nav${menuOpen ? ' is-open' : ''}`} aria-label={t`Main`}>
            <ul class="nav-links">
              {navLinks.map((l) => (
                <li key={l.href}>
                  <Link href={l.href}>{l.label}</Link>
                </li>
              ))}
            </ul>
            {account('menu')}
          </nav>
        ) : signedIn ? (
          // The navigation's row, held while the account loads, so the header doesn't grow when it arrives.
          <div class="site-nav site-nav--pending" aria-hidden="true" />
        ) : null}
        <div class="header-actions">
          {me || signedIn ? null : <LanguageSwitch />}
          <button type="button" class="button button--ghost help-button" onClick={openHelp} aria-haspopup="dialog">
            <Icon name="help" size={20} />
            {t`Help`}
          </button>
          {account('bar')}
          {me || signedIn ? (
            <button
              type="button"
              class="button button--ghost menu-toggle"
              aria-expanded={menuOpen ? 'true' : 'false'}
              aria-controls={me ? 'site-nav' : undefined}
              onClick={onToggleMenu}
            >
              <Icon name={menuOpen ? 'close' : 'menu'} size={20} />
              {t`Menu`}
            </button>
          ) : null}
        </div>
      </div>
      {isPatient && patients.length > 1 && patient ? (
        <div class="record-bar">
          <div class="record-bar-inner">
            <label for="record-switch">{t`Viewing record of:`}</label>
            <select
              id="record-switch"
              value={patient.id}
              onChange={(e) => {
                const id = (e.currentTarget as HTMLSelectElement).value;
                onChoosePatient(id);
              }}
            >
              {patients.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.display_name}
                  {p.relationship === 'self' ? ` ${t`(you)`}` : ''}
                </option>
              ))}
            </select>
            <p class="visually-hidden" aria-live="polite">
              {announcement}
            </p>
          </div>
        </div>
      ) : holdRecordBar && !me ? (
        <div class="record-bar record-bar--pending" aria-hidden="true">
          <div class="record-bar-inner">
            <label>{t`Viewing record of:`}</label>
            <select disabled tabIndex={-1} />
          </div>
        </div>
      ) : null}
    </header>
  );
}
