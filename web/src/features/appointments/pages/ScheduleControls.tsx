// The staff schedule's controls: provider, date, day or week, moving through the schedule, and showing open times.

import { t } from '@lingui/core/macro';
import { Trans } from '@lingui/react/macro';
import type { AppointmentProvider } from '../api';
import { Field } from '../../../shared/ui/ui';
import { ApptIcon } from './AppointmentsHome';

export function ScheduleControls({
  providers,
  providerId,
  setProviderId,
  typedDate,
  commitDate,
  view,
  setView,
  step,
  onToday,
  showOpen,
  setShowOpen,
}: {
  providers: AppointmentProvider[];
  providerId: string;
  setProviderId: (id: string) => void;
  typedDate: string;
  commitDate: (value: string) => void;
  view: 'day' | 'week';
  setView: (view: 'day' | 'week') => void;
  step: (days: number) => void;
  onToday: () => void;
  showOpen: boolean;
  setShowOpen: (show: boolean) => void;
}) {
  return (
    <form class="card appt-schedule-controls" onSubmit={(e) => e.preventDefault()} aria-label={t`Choose a schedule`}>
      <Field id="sched-provider" label={t`Provider`}>
        {(describedBy) => (
          <select
            id="sched-provider"
            value={providerId}
            aria-describedby={describedBy}
            onChange={(e) => setProviderId((e.currentTarget as HTMLSelectElement).value)}
          >
            {providers.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
                {p.specialty ? `, ${p.specialty}` : ''}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id="sched-date" label={t`Date`}>
        {(describedBy) => (
          <input
            id="sched-date"
            type="date"
            class="appt-date"
            value={typedDate}
            aria-describedby={describedBy}
            onChange={(e) => commitDate((e.currentTarget as HTMLInputElement).value)}
          />
        )}
      </Field>
      <fieldset class="appt-segmented">
        <legend>
          <Trans>Show</Trans>
        </legend>
        {(['day', 'week'] as const).map((v) => (
          <span key={v}>
            <input type="radio" id={`sched-view-${v}`} name="sched-view" checked={view === v} onChange={() => setView(v)} />
            <label for={`sched-view-${v}`}>{v === 'day' ? t`Day` : t`Week`}</label>
          </span>
        ))}
      </fieldset>
      <div class="appt-schedule-nav" role="group" aria-label={t`Move through the schedule`}>
        <button type="button" class="button button--ghost" onClick={() => step(view === 'week' ? -7 : -1)}>
          <ApptIcon name="arrowLeft" />
          {view === 'week' ? t`Previous week` : t`Previous day`}
        </button>
        <button type="button" class="button button--ghost" onClick={onToday}>
          <Trans>Today</Trans>
        </button>
        <button type="button" class="button button--ghost" onClick={() => step(view === 'week' ? 7 : 1)}>
          {view === 'week' ? t`Next week` : t`Next day`}
          <ApptIcon name="arrowRight" />
        </button>
      </div>
      <div class="check appt-show-open">
        <input type="checkbox" id="sched-open" checked={showOpen} onChange={(e) => setShowOpen((e.currentTarget as HTMLInputElement).checked)} />
        <label for="sched-open">
          <Trans>Show open times</Trans>
        </label>
      </div>
    </form>
  );
}
