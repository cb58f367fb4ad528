import { t } from '@lingui/core/macro';
import { ApiError } from '../../../shared/api/client';
import { Loading, Notice, Page } from '../../../shared/ui/ui';
import { useApp } from '../../../shared/context';
import { ProxyProfileSections } from '../../proxies/pages/ProxyProfile';
import { accountApi } from '../api';
import { useLoad } from '../../../shared/hooks/useLoad';
import { ProfileEditor } from './ProfileEditor';
import { SecurityArea } from '../AccountLazy';

export function ProfilePage() {
  const { api, me, patient, setSelfProfile } = useApp();
  const pid = patient?.id ?? null;
  const isSelf = patient?.relationship === 'self';
  // The signed-in account's own sign-in settings: with its own record, or where it has none (a caregiver).
  const showSecurity = isSelf || !(me?.patients ?? []).some((p) => p.relationship === 'self');
  const loaded = useLoad(
    (signal) =>
      accountApi(api)
        .getProfile(pid!, signal)
        .then((p) => {
          if (isSelf) setSelfProfile(p);
          return p;
        }),
    [pid],
    { enabled: pid !== null },
  );
  const profile = loaded.data;
  const loadError = loaded.error ? (loaded.error instanceof ApiError ? loaded.error : new ApiError(0, 'internal', String(loaded.error))) : null;

  const title = isSelf || !patient ? t`Profile & contact info` : profileOf(patient.display_name);

  return (
    <Page
      title={title}
      lead={isSelf ? t`Keep your details up to date so the clinic can reach you.` : t`Keep these details up to date so the clinic can reach the right people.`}
    >
      {loadError ? (
        <Notice tone="error" role="alert" title={t`We couldn't load this profile`}>
          <p>{loadError.code === 'network' ? loadError.message : t`Please try again in a moment.`}</p>
          <button type="button" class="button button--secondary" onClick={loaded.reload}>
            {t`Try again`}
          </button>
        </Notice>
      ) : !profile ? (
        <Loading label={t`Loading profile…`} />
      ) : (
        <ProfileEditor
          key={profile.id}
          profile={profile}
          onSaved={(p) => {
            loaded.set(p);
            if (isSelf) setSelfProfile(p);
          }}
        />
      )}
      {isSelf && pid ? <ProxyProfileSections patientId={pid} /> : null}
      {showSecurity ? <SecurityArea /> : null}
    </Page>
  );
}

function profileOf(name: string): string {
  return t`${name}: profile & contact info`;
}
