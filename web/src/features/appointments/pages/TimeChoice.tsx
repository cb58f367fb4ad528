// What booking and rescheduling share around the time picker: the chosen provider, first day and time, the
// "that time was just taken" notice and the field error, and the picker wired to them.

import { t } from '@lingui/core/macro';
import { useEffect, useState } from 'preact/hooks';
import type { AppointmentSlot } from '../api';
import { formatDay, formatTime, todayIn } from '../appointmentsFormat';
import { Notice } from '../../../shared/ui/ui';
import { TimePicker, type TimePickerProps } from './TimePicker';

export function takenMessage(slot: AppointmentSlot, timeZone: string): string {
  const day = formatDay(slot.starts_at, timeZone);
  const time = formatTime(slot.starts_at, timeZone);
  return t`Sorry, ${day} at ${time} was just taken by someone else. We've refreshed the times: please choose another.`;
}

/**
 * The picker's state. `date` starts as today in the clinic's zone once that is known; `firstProvider` is ''
 * for "any provider", or null until the page knows it.
 */
export function useTimeChoice<P extends string | null>(timeZone: string | undefined, firstProvider: P) {
  const [providerId, setProviderId] = useState<P | string>(firstProvider);
  const [date, setDate] = useState<string | null>(null);
  const [selected, setSelected] = useState<AppointmentSlot | null>(null);
  const [refresh, setRefresh] = useState(0);
  const [conflict, setConflict] = useState<string | null>(null);
  const [pickError, setPickError] = useState<string | undefined>(undefined);

  useEffect(() => {
    if (timeZone && date === null) setDate(todayIn(timeZone));
  }, [timeZone]);

  return {
    providerId,
    setProviderId,
    date,
    selected,
    setSelected,
    refresh,
    conflict,
    setConflict,
    pickError,
    setPickError,
    /** The chosen time was taken meanwhile: say so, clear the choice and search again. */
    taken(slot: AppointmentSlot, tz: string) {
      setConflict(takenMessage(slot, tz));
      setSelected(null);
      setRefresh((n) => n + 1);
    },
    setDate,
  };
}

export type TimeChoice<P extends string | null> = ReturnType<typeof useTimeChoice<P>>;

/** The time picker driven by a `useTimeChoice`; the taken-time notice has the id `<idPrefix>-conflict`. */
export function ChoiceTimePicker<P extends string | null>({
  choice,
  idPrefix,
  ...rest
}: { choice: TimeChoice<P> } & Pick<TimePickerProps, 'api' | 'pid' | 'visitTypeId' | 'providers' | 'timeZone' | 'idPrefix'>) {
  const { providerId, date, selected, refresh, conflict, pickError, setProviderId, setDate, setSelected, setConflict, setPickError } = choice;
  if (providerId === null || date === null) return null;
  return (
    <TimePicker
      {...rest}
      providerId={providerId}
      onProviderChange={(id) => {
        setProviderId(id);
        setConflict(null);
      }}
      date={date}
      onDateChange={(d) => {
        setDate(d);
        setConflict(null);
      }}
      selected={selected}
      onSelect={(s) => {
        setSelected(s);
        if (s) setPickError(undefined);
      }}
      refresh={refresh}
      idPrefix={idPrefix}
      error={pickError}
      notice={
        conflict ? (
          <div id={`${idPrefix}-conflict`} tabIndex={-1}>
            <Notice tone="warning" role="alert" title={t`That time is no longer available`}>
              <p>{conflict}</p>
            </Notice>
          </div>
        ) : null
      }
    />
  );
}

/** The error under a confirm step, focusable by its id after a failed submit. */
export function SubmitError({ id, error }: { id: string; error: string | null }) {
  return error ? (
    <div id={id} tabIndex={-1}>
      <Notice tone="error" role="alert">
        <p>{error}</p>
      </Notice>
    </div>
  ) : null;
}
