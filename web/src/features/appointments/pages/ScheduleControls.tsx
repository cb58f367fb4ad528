// The staff schedule's controls: provider, date, day or week, moving through the schedule, and showing open times.

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
    <form class="card appt-schedule-controls" onSubmit={(e) => e.preventDefault()} aria-label="Choose a schedule">
      <Field id="sched-provider" label="Provider">
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
      <Field id="sched-date" label="Date">
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
        <legend>Show</legend>
        {(['day', 'week'] as const).map((v) => (
          <span key={v}>
            <input type="radio" id={`sched-view-${v}`} name="sched-view" checked={view === v} onChange={() => setView(v)} />
            <label for={`sched-view-${v}`}>{v === 'day' ? 'Day' : 'Week'}</label>
          </span>
        ))}
      </fieldset>
      <div class="appt-schedule-nav" role="group" aria-label="Move through the schedule">
        <button type="button" class="button button--ghost" onClick={() => step(view === 'week' ? -7 : -1)}>
          <ApptIcon name="arrowLeft" />
          {view === 'week' ? 'Previous week' : 'Previous day'}
        </button>
        <button type="button" class="button button--ghost" onClick={onToday}>
          Today
        </button>
        <button type="button" class="button button--ghost" onClick={() => step(view === 'week' ? 7 : 1)}>
          {view === 'week' ? 'Next week' : 'Next day'}
          <ApptIcon name="arrowRight" />
        </button>
      </div>
      <div class="check appt-show-open">
        <input type="checkbox" id="sched-open" checked={showOpen} onChange={(e) => setShowOpen((e.currentTarget as HTMLInputElement).checked)} />
        <label for="sched-open">Show open times</label>
      </div>
    </form>
  );
}
