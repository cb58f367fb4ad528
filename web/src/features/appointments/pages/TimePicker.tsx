// Find a time: provider (or any), a first day (native date input), then the open times for a week as one
// radio group, grouped by day.

import { plural, t } from '@lingui/core/macro';
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Api } from '../../../shared/api/client';
import { type AppointmentProvider, appointmentsApi, type AppointmentSlot, type SlotPage } from '../api';
import {
  addDays,
  formatCalendarDay,
  formatShortDay,
  formatTime,
  groupByDay,
  isValidDay,
  onePerTime,
  slotLabel,
  todayIn,
  zoneLabel,
} from '../appointmentsFormat';
import { Icon } from '../../../shared/ui/Icons';
import { Field, Loading, Notice } from '../../../shared/ui/ui';
import { ApptIcon } from './AppointmentsHome';
import { usePagedList } from '../../../shared/hooks/usePagedList';
import { errorText, SEARCH_DAYS, TIMES_PER_DAY } from './AppointmentsShared';

export interface TimePickerProps {
  api: Api;
  pid: string;
  visitTypeId: string;
  providers: AppointmentProvider[];
  timeZone: string;
  providerId: string;
  onProviderChange: (id: string) => void;
  date: string;
  onDateChange: (day: string) => void;
  selected: AppointmentSlot | null;
  onSelect: (slot: AppointmentSlot | null) => void;
  /** Bump to search again (e.g. after a time was just taken). */
  refresh: number;
  idPrefix: string;
  /** Shown above the times (e.g. "that time was just taken"). */
  notice?: ComponentChildren;
  error?: string | undefined;
  /** Heading level for the day headings (h3 on pages, h3 in dialogs too). */
  headingLevel?: 3 | 4;
}

function noTimesText(range: string): string {
  return t`No open times from ${range}.`;
}

function foundText(count: number, days: number, range: string): string {
  const dayCount = plural(days, { one: '# day', other: '# days' });
  return plural(count, {
    one: `# open time on ${dayCount}, from ${range}.`,
    other: `# open times on ${dayCount}, from ${range}.`,
  });
}

function onDayText(day: string): string {
  return t`on ${day}`;
}

/**
 * Find a time: provider (or any), a first day (native date input), then the open times for a week as one
 * radio group, grouped by day. Each time's accessible name is complete on its own:
 * "Tuesday, December 1, 9:20 AM with Dr. Priya Rivera".
 */
export function TimePicker({
  api,
  pid,
  visitTypeId,
  providers,
  timeZone,
  providerId,
  onProviderChange,
  date,
  onDateChange,
  selected,
  onSelect,
  refresh,
  idPrefix,
  notice,
  error,
  headingLevel = 3,
}: TimePickerProps) {
  const today = todayIn(timeZone);
  const [moreError, setMoreError] = useState<string | null>(null);
  const [announce, setAnnounce] = useState('');
  const [typed, setTyped] = useState(date);
  const [expanded, setExpanded] = useState<Set<string>>(() => new Set());
  const dateError = !isValidDay(typed) ? t`Enter a date, like 12/01/2026.` : typed < today ? t`Choose today or a later date.` : undefined;
  const zone = zoneLabel(timeZone);
  const from = formatShortDay(`${date}T12:00:00Z`, 'UTC');
  const to = formatShortDay(`${addDays(date, SEARCH_DAYS - 1)}T12:00:00Z`, 'UTC');
  const rangeText = t`${from} to ${to}`;
  const Heading = headingLevel === 3 ? 'h3' : 'h4';

  useEffect(() => setTyped(date), [date]);

  const search = [pid, visitTypeId, providerId, date, refresh];
  useEffect(() => {
    setMoreError(null);
    setExpanded(new Set());
  }, search);
  const list = usePagedList<AppointmentSlot, SlotPage>((cursor, signal) => {
    const query = { visit_type: visitTypeId, provider: providerId || null, date, days: SEARCH_DAYS };
    if (cursor) return appointmentsApi(api).searchSlots(pid, { ...query, cursor });
    return appointmentsApi(api)
      .searchSlots(pid, query, signal)
      .then((page) => {
        const days = new Set(page.items.map((s) => s.starts_at.slice(0, 10))).size;
        setAnnounce(page.items.length === 0 ? noTimesText(rangeText) : foundText(page.items.length, days, rangeText));
        if (selected && !page.items.some((s) => s.id === selected.id)) onSelect(null);
        return page;
      });
  }, search);
  const { items: slots, loadingMore: moreBusy } = list;
  const loadError = list.error ? errorText(list.error, t`We couldn't load open times. Please try again.`) : moreError;

  const loadMore = async () => {
    try {
      const page = await list.loadMore();
      if (page) setAnnounce(plural(page.items.length, { one: '# more time shown.', other: '# more times shown.' }));
    } catch (e) {
      setMoreError(errorText(e, t`We couldn't load more times. Please try again.`));
    }
  };

  const commitDate = (value: string) => {
    setTyped(value);
    if (isValidDay(value) && value >= today) onDateChange(value);
  };

  const anyProvider = !providerId;
  const days = groupByDay(anyProvider ? onePerTime(slots ?? []) : (slots ?? []));
  const expand = (day: string) => {
    setExpanded((prev) => new Set(prev).add(day));
    requestAnimationFrame(() => {
      const radios = document.querySelectorAll<HTMLInputElement>(`#${idPrefix}-day-${day}-times input`);
      radios[TIMES_PER_DAY]?.focus();
    });
  };
  const canGoBack = date > today;

  return (
    <div class="appt-picker">
      <div class="appt-picker-controls">
        <Field id={`${idPrefix}-provider`} label={t`Provider`}>
          {(describedBy) => (
            <select
              id={`${idPrefix}-provider`}
              value={providerId}
              aria-describedby={describedBy}
              onChange={(e) => onProviderChange((e.currentTarget as HTMLSelectElement).value)}
            >
              <option value="">{t`Any provider (earliest times)`}</option>
              {providers.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                  {p.specialty ? `, ${p.specialty}` : ''}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          id={`${idPrefix}-date`}
          label={t`Show times from`}
          hint={t`We show ${SEARCH_DAYS} days of open times from this date.`}
          error={dateError}
        >
          {(describedBy, invalid) => (
            <input
              id={`${idPrefix}-date`}
              type="date"
              class="appt-date"
              value={typed}
              min={today}
              aria-describedby={describedBy}
              aria-invalid={invalid ? 'true' : undefined}
              onChange={(e) => commitDate((e.currentTarget as HTMLInputElement).value)}
              onBlur={(e) => commitDate((e.currentTarget as HTMLInputElement).value)}
            />
          )}
        </Field>
      </div>

      <div class="appt-week-nav">
        <button
          type="button"
          class="button button--ghost"
          onClick={() => onDateChange(addDays(date, -SEARCH_DAYS) < today ? today : addDays(date, -SEARCH_DAYS))}
          disabled={!canGoBack}
        >
          <ApptIcon name="arrowLeft" />
          {t`Earlier`}
          <span class="visually-hidden"> {t`times`}</span>
        </button>
        <p class="appt-week-range">
          <span class="visually-hidden">{t`Showing`} </span>
          {from} – {to}
        </p>
        <button type="button" class="button button--ghost" onClick={() => onDateChange(addDays(date, SEARCH_DAYS))}>
          {t`Later`}
          <span class="visually-hidden"> {t`times`}</span>
          <ApptIcon name="arrowRight" />
        </button>
      </div>

      <p class="visually-hidden" role="status" aria-live="polite">
        {announce}
      </p>
      {notice}
      {loadError ? (
        <Notice tone="error" role="alert">
          <p>{loadError}</p>
        </Notice>
      ) : slots === null ? (
        <Loading label={t`Finding open times…`} />
      ) : slots.length === 0 ? (
        <div class="appt-empty">
          <p>
            <strong>{noTimesText(rangeText)}</strong>
          </p>
          <p class="muted">
            {providerId
              ? t`Try later dates or any provider. Appointments open a few weeks ahead.`
              : t`Try later dates. Appointments open a few weeks ahead.`}
          </p>
        </div>
      ) : (
        <fieldset
          class={`appt-times${error ? ' field--error' : ''}`}
          id={`${idPrefix}-times`}
          aria-describedby={error ? `${idPrefix}-times-error` : undefined}
        >
          <legend>
            {t`Available times`} <span class="appt-legend-zone">{t`(all times ${zone})`}</span>
          </legend>
          {error ? (
            <p class="field-error" id={`${idPrefix}-times-error`}>
              <Icon name="alert" size={18} />
              <span>{error}</span>
            </p>
          ) : null}
          {days.map(({ day, slots: daySlots }) => {
            const chosenIndex = selected ? daySlots.findIndex((s) => s.id === selected.id) : -1;
            const showAll = expanded.has(day) || daySlots.length <= TIMES_PER_DAY + 2 || chosenIndex >= TIMES_PER_DAY;
            const shown = showAll ? daySlots : daySlots.slice(0, TIMES_PER_DAY);
            return (
            <div class="appt-day" role="group" aria-labelledby={`${idPrefix}-day-${day}`} key={day}>
              <Heading id={`${idPrefix}-day-${day}`} class="appt-day-title">
                {formatCalendarDay(day)}
                <span class="appt-day-count">
                  {' '}
                  · {plural(daySlots.length, { one: '# time', other: '# times' })}
                </span>
              </Heading>
              <div class="appt-slots" id={`${idPrefix}-day-${day}-times`}>
                {shown.map((slot) => {
                  const id = `${idPrefix}-slot-${slot.id.replace(/[^A-Za-z0-9-]/g, '-')}`;
                  return (
                    <span class="appt-slot" key={slot.id}>
                      <input
                        type="radio"
                        name={`${idPrefix}-slot`}
                        id={id}
                        value={slot.id}
                        checked={selected?.id === slot.id}
                        aria-label={slotLabel(slot, timeZone)}
                        onChange={() => onSelect(slot)}
                      />
                      <label for={id}>
                        <span class="appt-slot-time">{formatTime(slot.starts_at, timeZone)}</span>
                        {anyProvider ? <span class="appt-slot-who">{slot.provider.name}</span> : null}
                      </label>
                    </span>
                  );
                })}
                {showAll ? null : (
                  <button type="button" class="button button--ghost appt-more-times" onClick={() => expand(day)}>
                    {plural(daySlots.length, { one: 'Show all # time', other: 'Show all # times' })}
                    <span class="visually-hidden"> {onDayText(formatCalendarDay(day))}</span>
                  </button>
                )}
              </div>
            </div>
            );
          })}
          {list.hasMore ? (
            <p>
              <button type="button" class="button button--secondary" onClick={loadMore} aria-disabled={moreBusy ? 'true' : undefined}>
                {moreBusy ? t`Loading…` : t`Show more times`}
              </button>
            </p>
          ) : null}
        </fieldset>
      )}
    </div>
  );
}
