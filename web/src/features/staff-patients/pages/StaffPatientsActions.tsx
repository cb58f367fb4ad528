// Staff patient search: the action bar on a patient's chart (clinicians) and overview (other staff).

import { t } from '@lingui/core/macro';
import { Trans } from '@lingui/react/macro';
import '../staffPatients.css';
import { useApp } from '../../../shared/context';
import { Link } from '../../../router';
import { bookHref, canBook } from '../staffPatients';

export function StaffPatientActions({ patientId, name }: { patientId: string; name?: string | undefined }) {
  const { me } = useApp();
  const role = me?.user.role;
  if (!role || role === 'patient') return null;
  return (
    <nav class="sp-actions" aria-label={name ? t`Actions for ${name}` : t`Patient actions`}>
      {canBook(role) ? (
        <Link href={bookHref(patientId)} class="button button--primary">
          <Trans context="staff action bar">Book appointment</Trans>
        </Link>
      ) : null}
      {role !== 'billing' ? (
        <Link href="/schedule" class="button button--secondary">
          <Trans>Schedule</Trans>
        </Link>
      ) : null}
      <Link href="/staff/patients" class="button button--secondary">
        <Trans>Find another patient</Trans>
      </Link>
    </nav>
  );
}
