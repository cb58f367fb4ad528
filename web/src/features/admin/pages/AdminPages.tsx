// Staff administration pages (admins; their own lazily loaded chunk): the staff list, a new staff member,
// one account (change, disable/enable, resend the invitation, reset the authenticator), the admin audit.

import '../admin.css';
import { msg, plural, t } from '@lingui/core/macro';
import { useMemo, useRef, useState } from 'preact/hooks';
import { ApiError } from '../../../shared/api/client';
import { Dialog } from '../../../shared/ui/Dialog';
import { PagedListBody, LoadFailed } from '../../../shared/ui/Lists';
import { ErrorSummary, Field, Loading, Notice, Page, SelectField, type SummaryItem, TextField } from '../../../shared/ui/ui';
import { NotFoundPage } from '../../../shared/ui/Misc';
import { PatientImportPage } from './PatientImport';
import { AccessReviewPage, PrivacyReportPage } from './AccessReview';
import { useApp } from '../../../shared/context';
import { useLoad, loadFailure } from '../../../shared/hooks/useLoad';
import { useLoadMore, usePagedList } from '../../../shared/hooks/usePagedList';
import { Link } from '../../../router';
import { formatDateTime } from '../../../shared/format';
import { translated } from '../../../shared/i18n';
import { adminApi, type AdminAuditEvent, type AdminAuditList, type AdminClient, type CareTeam, type StaffDetail, type StaffList, type StaffMember, type StaffRole } from '../api';
import {
  auditActionLabel,
  EMPTY_STAFF,
  mapStaffErrors,
  STAFF_FIELDS,
  STAFF_LABELS,
  STAFF_ROLES,
  type StaffErrors,
  type StaffField,
  type StaffForm,
  staffBody,
  staffRoleLabel,
  statusLabel,
  validateStaff,
} from '../staffAdmin';
import type { AdminRoute } from '../adminRoute';

export function AdminPage({ route }: { route: AdminRoute }) {
  if (route.page === 'list') return <StaffListPage />;
  if (route.page === 'new') return <NewStaffPage />;
  if (route.page === 'edit') return <EditStaffPage key={route.sub} sub={route.sub} />;
  if (route.page === 'audit') return <AdminAuditPage />;
  if (route.page === 'import') return <PatientImportPage />;
  if (route.page === 'access') return <AccessReviewPage />;
  if (route.page === 'privacy') return <PrivacyReportPage />;
  return <NotFoundPage />;
}

function useAdmin(): AdminClient {
  const { api } = useApp();
  return useMemo(() => adminApi(api), [api]);
}

function problem(e: unknown, fallback: string): string {
  if (e instanceof ApiError && (e.code === 'network' || e.status === 409 || e.status === 400 || e.status === 404)) {
    const t = e.message.trim();
    return `${t.charAt(0).toUpperCase()}${t.slice(1)}${/[.!?]$/.test(t) ? '' : '.'}`;
  }
  return fallback;
}

// What the server says of an invitation, in the language on screen.
const INVITATION_LABELS = translated({
  invited: msg`Not accepted yet`,
  active: msg({ message: 'Accepted', context: 'invitation' }),
  other: msg`Unknown`,
});

function staffChipsLabel(name: string): string {
  return t`${name}: role and status`;
}

function auditBy(name: string): string {
  return t`By ${name}`;
}

function poolNames(pools: string[], teams: CareTeam[] | null): string {
  if (pools.length === 0) return t`No care-team pools`;
  return pools.map((id) => teams?.find((team) => team.id === id)?.name ?? id).join(', ');
}

// --- the staff list ------------------------------------------------------------------------------

function StaffListPage() {
  const client = useAdmin();
  const teams = useLoad((signal) => client.careTeams(signal).then((c) => c.pools), []).data;
  const list = usePagedList<StaffMember, StaffList>((cursor, signal) => client.list(cursor, signal), []);
  const { moreError, clearMoreError, loadMore } = useLoadMore(list, t`We couldn't load more staff accounts. Please try again.`);
  const error = loadFailure(list.error, t`We couldn't load the staff accounts. Please try again.`) ?? moreError;
  return (
    <Page title={t`Staff accounts`} lead={t`Everyone who signs in to the staff portal: their role, care-team pools and sign-in status.`}>
      <p class="admin-actions">
        <Link href="/admin/staff/new" class="button button--primary">
          {t`Add a staff member`}
        </Link>
        <Link href="/admin/audit" class="button button--secondary">
          {t`Admin audit`}
        </Link>
        <Link href="/admin/import" class="button button--secondary">
          {t`Import patients`}
        </Link>
        <Link href="/admin/access" class="button button--secondary">
          {t`Review record access`}
        </Link>
      </p>
      <PagedListBody
        error={error}
        onRetry={() => {
          clearMoreError();
          list.reload();
        }}
        items={list.items}
        loadingLabel={t`Loading staff accounts…`}
        empty={<p>{t`No staff accounts yet.`}</p>}
        hasMore={list.hasMore}
        onMore={loadMore}
        busy={list.loadingMore}
        announce={list.items ? plural(list.items.length, { one: '# staff account shown.', other: '# staff accounts shown.' }) : ''}
      >
        {(items) => (
          <ul class="admin-list" aria-label={t`Staff accounts`}>
            {items.map((m) => (
              <li key={m.sub} class="item-row">
                <div class="admin-row-main">
                  <Link href={`/admin/staff/${encodeURIComponent(m.sub)}`} class="admin-name">
                    {m.display_name}
                  </Link>
                  <span class="muted small"> {m.username}</span>
                  {/* Pool names are the clinic's own, written in English. */}
                  <p class="muted small" lang={m.pools.length ? 'en' : undefined}>
                    {poolNames(m.pools, teams)}
                  </p>
                </div>
                <ul class="admin-chips" aria-label={staffChipsLabel(m.display_name)}>
                  <li class="chip">{staffRoleLabel(m.role)}</li>
                  <li class={m.disabled ? 'chip chip--off' : 'chip chip--on'}>{statusLabel(m)}</li>
                  <li class={m.mfa_enabled ? 'chip chip--on' : 'chip chip--warn'}>
                    {m.mfa_enabled ? t`Authenticator set up` : t`No authenticator yet`}
                  </li>
                </ul>
              </li>
            ))}
          </ul>
        )}
      </PagedListBody>
    </Page>
  );
}

// --- the staff form (new and edit) -----------------------------------------------------------------

const fieldId = (f: StaffField) => `staff-${f.replace(/_/g, '-')}`;

function StaffFields({
  form,
  errors,
  teams,
  editing,
  set,
}: {
  form: StaffForm;
  errors: StaffErrors;
  teams: CareTeam[] | null;
  editing: boolean;
  set: <K extends keyof StaffForm>(key: K, value: StaffForm[K]) => void;
}) {
  return (
    <div class="form-grid">
      {editing ? null : (
        <>
          <TextField
            id={fieldId('username')}
            label={STAFF_LABELS.username}
            value={form.username}
            onValue={(v) => set('username', v)}
            error={errors.username}
            hint={t`What they type to sign in, e.g. sam.lee. It cannot be changed later.`}
            autoComplete="off"
            autoCapitalize="none"
            spellcheck={false}
            maxLength={64}
          />
          <TextField
            id={fieldId('email')}
            label={STAFF_LABELS.email}
            value={form.email}
            onValue={(v) => set('email', v)}
            error={errors.email}
            hint={t`The invitation with a temporary password goes here.`}
            type="email"
            autoComplete="off"
            maxLength={254}
          />
        </>
      )}
      <TextField
        id={fieldId('display_name')}
        label={STAFF_LABELS.display_name}
        value={form.display_name}
        onValue={(v) => set('display_name', v)}
        error={errors.display_name}
        autoComplete="off"
        maxLength={100}
      />
      <SelectField
        id={fieldId('role')}
        label={STAFF_LABELS.role}
        error={errors.role}
        value={form.role}
        onValue={(value: StaffRole) => set('role', value)}
        options={STAFF_ROLES}
      />
      <fieldset class="span-2 admin-pools" id={fieldId('pools')} tabIndex={-1} aria-describedby={errors.pools ? `${fieldId('pools')}-error` : undefined}>
        <legend>
          {STAFF_LABELS.pools} <span class="optional">{t`(optional)`}</span>
        </legend>
        <p class="hint">{t`Messages sent to a pool reach everyone in it.`}</p>
        {errors.pools ? (
          <p class="field-error" id={`${fieldId('pools')}-error`}>
            {errors.pools}
          </p>
        ) : null}
        {teams === null ? (
          <Loading label={t`Loading care-team pools…`} />
        ) : (
          teams.map((team) => (
            <div class="check" key={team.id}>
              <input
                type="checkbox"
                id={`staff-pool-${team.id}`}
                checked={form.pools.includes(team.id)}
                onChange={(e) => {
                  const on = (e.currentTarget as HTMLInputElement).checked;
                  set('pools', on ? [...form.pools, team.id] : form.pools.filter((p) => p !== team.id));
                }}
              />
              <label for={`staff-pool-${team.id}`} lang="en">
                {team.name}
              </label>
            </div>
          ))
        )}
      </fieldset>
    </div>
  );
}

function useStaffForm(initial: StaffForm) {
  const [form, setForm] = useState<StaffForm>(initial);
  const [errors, setErrors] = useState<StaffErrors>({});
  const [unplaced, setUnplaced] = useState<string[]>([]);
  const summaryRef = useRef<HTMLDivElement>(null);
  const show = (next: StaffErrors, extra: string[] = []) => {
    setErrors(next);
    setUnplaced(extra);
    requestAnimationFrame(() => {
      const first = STAFF_FIELDS.find((f) => next[f]);
      if (first) document.getElementById(fieldId(first))?.focus();
      else summaryRef.current?.focus();
    });
  };
  const fail = (e: unknown, fallback: string) => {
    if (e instanceof ApiError && Object.keys(e.fields).length > 0) {
      const mapped = mapStaffErrors(e.fields);
      show(mapped.errors, mapped.unplaced);
    } else if (!(e instanceof ApiError && e.code === 'unauthorized')) {
      show({}, [problem(e, fallback)]);
    }
  };
  const summary: SummaryItem[] = [
    ...STAFF_FIELDS.filter((f) => errors[f]).map((f) => ({ target: fieldId(f), text: `${STAFF_LABELS[f]}: ${errors[f]}` })),
    ...unplaced.map((text) => ({ target: null, text })),
  ];
  const set = <K extends keyof StaffForm>(key: K, value: StaffForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  return { form, setForm, set, errors, show, fail, summary, summaryRef, clear: () => show({}) };
}

export function NewStaffPage() {
  const client = useAdmin();
  const teams = useLoad((signal) => client.careTeams(signal).then((c) => c.pools), []).data;
  const f = useStaffForm(EMPTY_STAFF);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<{ member: StaffMember; sent: boolean; email: string } | null>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const problems = validateStaff(f.form);
    if (Object.keys(problems).length > 0) {
      f.show(problems);
      return;
    }
    setBusy(true);
    setDone(null);
    try {
      const body = staffBody(f.form);
      const created = await client.create(body);
      f.setForm(EMPTY_STAFF);
      f.show({});
      setDone({ member: created.staff, sent: created.invitation_sent, email: body.email });
    } catch (e) {
      f.fail(e, t`We couldn't create this account. Please try again.`);
    } finally {
      setBusy(false);
    }
  };

  const createdName = done?.member.display_name ?? '';
  const sentTo = done?.email ?? '';
  return (
    <Page
      title={t`Add a staff member`}
      lead={t`They get an email with their username and a temporary password. At first sign-in they choose their own password and set up an authenticator app.`}
    >
      <p>
        <Link href="/admin/staff">{t`Back to staff accounts`}</Link>
      </p>
      <div role="status" aria-live="polite">
        {done ? (
          <Notice tone={done.sent ? 'success' : 'warning'} title={t`Account created for ${createdName}`}>
            <p>
              {done.sent
                ? t`The invitation was sent to ${sentTo}.`
                : t`The invitation email could not be sent. Open the account and choose "Resend invitation".`}{' '}
              <Link href={`/admin/staff/${encodeURIComponent(done.member.sub)}`}>{t`Open ${createdName}'s account`}</Link>
            </p>
          </Notice>
        ) : null}
      </div>
      <form class="card admin-form" onSubmit={submit} noValidate aria-label={t`New staff member`}>
        <div ref={f.summaryRef} tabIndex={-1} class="status-anchor">
          <ErrorSummary items={f.summary} title={t`The account wasn't created`} />
        </div>
        <StaffFields form={f.form} errors={f.errors} teams={teams} editing={false} set={f.set} />
        <div class="form-actions">
          <button type="submit" class="button button--primary" aria-disabled={busy ? 'true' : undefined}>
            {busy ? t`Creating…` : t`Create account and send invitation`}
          </button>
        </div>
      </form>
    </Page>
  );
}

// --- one account ------------------------------------------------------------------------------------

type Confirm = 'disable' | 'enable' | 'resend' | 'reset' | null;

function EditStaffPage({ sub }: { sub: string }) {
  const client = useAdmin();
  const { me } = useApp();
  const teams = useLoad((signal) => client.careTeams(signal).then((c) => c.pools), []).data;
  const loaded = useLoad((signal) => client.get(sub, signal), [sub], { keepData: true });
  const member = loaded.data;
  if (loaded.error instanceof ApiError && loaded.error.status === 404) return <NotFoundPage />;
  if (loaded.error) return (
    <Page title={t`Staff account`}>
      <LoadFailed error={loadFailure(loaded.error, t`We couldn't load this account. Please try again.`) ?? ''} onRetry={loaded.reload} />
    </Page>
  );
  if (!member) return <Loading label={t`Loading the account…`} />;
  return (
    <EditStaffForm
      key={member.sub}
      client={client}
      member={member}
      teams={teams}
      isMe={me?.user.sub === member.sub}
      onChanged={(m) => loaded.set((d) => (d ? { ...d, ...m } : d))}
    />
  );
}

function EditStaffForm({
  client,
  member,
  teams,
  isMe,
  onChanged,
}: {
  client: AdminClient;
  member: StaffDetail;
  teams: CareTeam[] | null;
  isMe: boolean;
  onChanged: (m: Partial<StaffDetail>) => void;
}) {
  const f = useStaffForm({ ...EMPTY_STAFF, display_name: member.display_name, role: member.role as StaffRole, pools: member.pools });
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState('');
  const [confirm, setConfirm] = useState<Confirm>(null);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState('');
  const [actionError, setActionError] = useState('');
  const name = member.display_name;
  const email = member.email ?? '';

  const save = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const problems = validateStaff(f.form, { editing: true });
    if (Object.keys(problems).length > 0) {
      f.show(problems);
      return;
    }
    setBusy(true);
    setDone('');
    try {
      const body = staffBody(f.form);
      const saved = await client.update(member.sub, { display_name: body.display_name, role: body.role, pools: body.pools });
      onChanged(saved);
      f.show({});
      setDone(t`Changes saved. A new role applies at once; they will be asked to sign in again.`);
    } catch (e) {
      f.fail(e, t`We couldn't save the changes. Please try again.`);
    } finally {
      setBusy(false);
    }
  };

  const act = async () => {
    if (!confirm || busy) return;
    if (confirm === 'reset' && reason.trim().length < 3) {
      setReasonError(t`Say why, in at least 3 characters (for example "lost phone, identity checked").`);
      document.getElementById('staff-reset-reason')?.focus();
      return;
    }
    setBusy(true);
    setActionError('');
    try {
      if (confirm === 'disable') {
        onChanged(await client.disable(member.sub));
        setDone(t`${name}'s account is disabled. They were signed out everywhere.`);
      } else if (confirm === 'enable') {
        onChanged(await client.enable(member.sub));
        setDone(t`${name}'s account is enabled again.`);
      } else if (confirm === 'resend') {
        const out = await client.resend(member.sub);
        setDone(
          out.invitation_sent
            ? member.email
              ? t`A new invitation was sent to ${email}.`
              : t`A new invitation was sent to their email.`
            : t`The invitation email could not be sent. Please try again later.`,
        );
      } else {
        onChanged(await client.resetMfa(member.sub, reason.trim()));
        setDone(t`${name}'s authenticator was reset. They set up a new one at their next sign-in.`);
      }
      setConfirm(null);
      setReason('');
      setReasonError('');
    } catch (e) {
      setActionError(problem(e, t`That didn't work. Please try again.`));
    } finally {
      setBusy(false);
    }
  };

  const close = () => {
    if (busy) return;
    setConfirm(null);
    setActionError('');
    setReasonError('');
  };

  const dialog: Record<Exclude<Confirm, null>, { title: string; text: string; yes: string }> = {
    disable: {
      title: t`Disable ${name}'s account?`,
      text: t`They are signed out everywhere at once and cannot sign in until the account is enabled again.`,
      yes: t`Yes, disable`,
    },
    enable: { title: t`Enable ${name}'s account?`, text: t`They can sign in again with their password.`, yes: t`Yes, enable` },
    resend: {
      title: t`Resend the invitation?`,
      text: member.email
        ? t`A new temporary password goes to ${email}; the one sent before stops working.`
        : t`A new temporary password goes to their email; the one sent before stops working.`,
      yes: t`Yes, resend`,
    },
    reset: {
      title: t`Reset ${name}'s authenticator?`,
      text: t`Check who is asking first. They will set up a new authenticator app at their next sign-in. The reason is kept in the admin audit.`,
      yes: t`Yes, reset`,
    },
  };

  return (
    <Page
      title={member.display_name}
      lead={
        <>
          <span class="badge">{staffRoleLabel(member.role)}</span> <span>{member.username}</span>
          {member.email ? <span> · {member.email}</span> : null}
        </>
      }
    >
      <p>
        <Link href="/admin/staff">{t`Back to staff accounts`}</Link>
      </p>
      <div role="status" aria-live="polite">
        {done ? (
          <Notice tone="success">
            <p>{done}</p>
          </Notice>
        ) : null}
      </div>
      <div class="grid-2 admin-grid">
        <form class="card admin-form" onSubmit={save} noValidate aria-labelledby="staff-edit-title">
          <h2 id="staff-edit-title">{t`Name, role and pools`}</h2>
          <div ref={f.summaryRef} tabIndex={-1} class="status-anchor">
            <ErrorSummary items={f.summary} title={t`The changes weren't saved`} />
          </div>
          <StaffFields form={f.form} errors={f.errors} teams={teams} editing set={f.set} />
          <div class="form-actions">
            <button type="submit" class="button button--primary" aria-disabled={busy ? 'true' : undefined}>
              {busy && !confirm ? t`Saving…` : t`Save changes`}
            </button>
          </div>
        </form>
        <section class="card" aria-labelledby="staff-access-title">
          <h2 id="staff-access-title">{t`Sign-in`}</h2>
          <dl class="admin-facts">
            <dt>{t`Account`}</dt>
            <dd>{statusLabel(member)}</dd>
            <dt>{t`Invitation`}</dt>
            <dd>{INVITATION_LABELS[member.sign_in_status] ?? INVITATION_LABELS.other}</dd>
            <dt>{t`Authenticator app`}</dt>
            <dd>{member.mfa_enabled ? t`Set up` : t`Not set up`}</dd>
          </dl>
          <div class="admin-buttons">
            {member.sign_in_status === 'invited' && !member.disabled ? (
              <button type="button" class="button button--secondary" onClick={() => setConfirm('resend')}>
                {t`Resend invitation`}
              </button>
            ) : null}
            {member.mfa_enabled ? (
              <button type="button" class="button button--secondary" onClick={() => setConfirm('reset')}>
                {t`Reset authenticator`}
              </button>
            ) : null}
            {member.disabled ? (
              <button type="button" class="button button--secondary" onClick={() => setConfirm('enable')}>
                {t`Enable account`}
              </button>
            ) : isMe ? (
              <p class="muted small">{t`You cannot disable your own account.`}</p>
            ) : (
              <button type="button" class="button button--danger" onClick={() => setConfirm('disable')}>
                {t`Disable account`}
              </button>
            )}
          </div>
        </section>
      </div>
      <Dialog
        open={confirm !== null}
        onClose={close}
        id="staff-confirm"
        role="alertdialog"
        title={confirm ? dialog[confirm].title : ''}
        describedBy="staff-confirm-desc"
        initialFocus={confirm === 'reset' ? 'staff-reset-reason' : 'staff-confirm-cancel'}
        footer={
          <>
            <button
              type="button"
              class={confirm === 'disable' ? 'button button--danger-solid' : 'button button--primary'}
              onClick={act}
              aria-disabled={busy ? 'true' : undefined}
            >
              {busy ? t`Working…` : confirm ? dialog[confirm].yes : ''}
            </button>
            <button type="button" class="button button--secondary" id="staff-confirm-cancel" onClick={close}>
              {t`Cancel`}
            </button>
          </>
        }
      >
        <p id="staff-confirm-desc">{confirm ? dialog[confirm].text : ''}</p>
        {confirm === 'reset' ? (
          <Field id="staff-reset-reason" label={t`Reason`} error={reasonError || undefined}>
            {(describedBy, invalid) => (
              <textarea
                id="staff-reset-reason"
                value={reason}
                onInput={(e) => setReason((e.currentTarget as HTMLTextAreaElement).value)}
                aria-describedby={describedBy}
                aria-invalid={invalid ? 'true' : undefined}
                rows={3}
                maxLength={500}
              />
            )}
          </Field>
        ) : null}
        {actionError ? (
          <Notice tone="error" role="alert">
            <p>{actionError}</p>
          </Notice>
        ) : null}
      </Dialog>
    </Page>
  );
}

// --- the admin audit ----------------------------------------------------------------------------------

function AdminAuditPage() {
  const client = useAdmin();
  const list = usePagedList<AdminAuditEvent, AdminAuditList>((cursor, signal) => client.audit(cursor, signal), []);
  const { moreError, clearMoreError, loadMore } = useLoadMore(list, t`We couldn't load more of the audit. Please try again.`);
  const error = loadFailure(list.error, t`We couldn't load the admin audit. Please try again.`) ?? moreError;
  return (
    <Page
      title={t`Admin audit`}
      lead={t`Every change administrators made to staff accounts, and every import of patients: who, what, when and on whose account. Newest first.`}
    >
      <p>
        <Link href="/admin/staff">{t`Back to staff accounts`}</Link>
      </p>
      <PagedListBody
        error={error}
        onRetry={() => {
          clearMoreError();
          list.reload();
        }}
        items={list.items}
        loadingLabel={t`Loading the admin audit…`}
        empty={<p>{t`No administrator actions yet.`}</p>}
        hasMore={list.hasMore}
        onMore={loadMore}
        busy={list.loadingMore}
        announce={list.items ? plural(list.items.length, { one: '# entry shown.', other: '# entries shown.' }) : ''}
      >
        {(items) => (
          <ul class="admin-list" aria-label={t`Admin actions`}>
            {items.map((e) => (
              <li key={e.id} class="item-row">
                <div class="admin-row-main">
                  <p class="admin-name">
                    {auditActionLabel(e.action)}: {e.target_username}
                  </p>
                  <p class="muted small">
                    {auditBy(e.actor_name)} · <time dateTime={e.at}>{formatDateTime(e.at)}</time>
                  </p>
                  {e.detail ? (
                    <p class="small" lang="en">
                      {e.detail}
                    </p>
                  ) : null}
                </div>
              </li>
            ))}
          </ul>
        )}
      </PagedListBody>
    </Page>
  );
}
