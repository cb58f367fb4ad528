// The health record's lists: problems, medications, allergies, vaccines and visits (also the printed summary).

import { t } from '@lingui/core/macro';
import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import type { HealthSummary, Medication } from '../api';
import { formatDate, formatDateTime } from '../../../shared/format';
import { byName, Empty } from './RecordsSummary';
import { problemStatus, severityWords, visitTypeWords } from '../healthSummary';
import { Link } from '../../../router';
import { HiddenNotice } from '../../../shared/ui/HiddenNotice';

function refillOf(name: string): string {
  return t`of ${name}`;
}

export function Section({ id, title, count, children }: { id: string; title: string; count?: number; children: ComponentChildren }) {
  return (
    <section class="card rec-section" aria-labelledby={id}>
      <h2 id={id}>
        {title}
        {count !== undefined ? <span class="rec-count"> ({count})</span> : null}
      </h2>
      {children}
    </section>
  );
}


export function SummaryView({ summary }: { summary: HealthSummary }) {
  const activeProblems = summary.problems.filter((p) => p.status === 'active').sort(byName((p) => p.name));
  const pastProblems = summary.problems.filter((p) => p.status !== 'active').sort(byName((p) => p.name));
  const meds = [...summary.medications].sort(byName((m: Medication) => m.name));
  const activeMeds = meds.filter((m) => m.status === 'active');
  const stoppedMeds = meds.filter((m) => m.status !== 'active');
  const allergies = summary.allergies.filter((a) => a.status === 'active').sort(byName((a) => a.substance));
  const immunizations = [...summary.immunizations].sort((a, b) => b.date.localeCompare(a.date));
  const visits = [...summary.visits].sort((a, b) => b.start.localeCompare(a.start));

  // Printing shows every visit's summary, not only the open ones.
  useEffect(() => {
    const opened: HTMLDetailsElement[] = [];
    const before = () => {
      document.querySelectorAll<HTMLDetailsElement>('details.rec-visit:not([open]), details.rec-more:not([open])').forEach((d) => {
        d.open = true;
        opened.push(d);
      });
    };
    const after = () => {
      opened.splice(0).forEach((d) => (d.open = false));
    };
    window.addEventListener('beforeprint', before);
    window.addEventListener('afterprint', after);
    return () => {
      window.removeEventListener('beforeprint', before);
      window.removeEventListener('afterprint', after);
    };
  }, []);

  return (
    <div class="rec-grid">
      {summary.some_hidden ? <HiddenNotice class="rec-hidden-notice" /> : null}
      <Section id="rec-allergies" title={t`Allergies`} count={allergies.length}>
        {allergies.length === 0 ? (
          <Empty>{t`No allergies are recorded. If you have any, tell your care team.`}</Empty>
        ) : (
          <ul class="rec-list">
            {allergies.map((a) => (
              <li key={a.id} class="rec-item">
                <p class="rec-item-title">
                  {a.substance}
                  {a.severity ? <span class={`rec-severity rec-severity--${a.severity}`}>{severityWords(a.severity)}</span> : null}
                </p>
                <p class="rec-item-meta">
                  {a.reaction ? reactionWords(a.reaction) : t`Reaction not recorded`}
                  {a.noted_date ? ` · ${notedOn(formatDate(a.noted_date))}` : ''}
                </p>
              </li>
            ))}
          </ul>
        )}
      </Section>

      <Section id="rec-problems" title={t`Health conditions`} count={activeProblems.length}>
        {activeProblems.length === 0 ? (
          <Empty>{t`No current health conditions are recorded.`}</Empty>
        ) : (
          <ul class="rec-list">
            {activeProblems.map((p) => (
              <li key={p.id} class="rec-item">
                <p class="rec-item-title">{p.name}</p>
                <p class="rec-item-meta">
                  {p.onset_date ? sinceDay(formatDate(p.onset_date)) : t`Current`}
                  {p.note ? ` · ${p.note}` : ''}
                </p>
              </li>
            ))}
          </ul>
        )}
        {pastProblems.length > 0 ? (
          <details class="rec-more">
            <summary>{pastConditions(pastProblems.length)}</summary>
            <ul class="rec-list">
              {pastProblems.map((p) => (
                <li key={p.id} class="rec-item">
                  <p class="rec-item-title">{p.name}</p>
                  <p class="rec-item-meta">
                    {problemStatus(p.status)}
                    {p.onset_date ? ` · ${beganOn(formatDate(p.onset_date))}` : ''}
                  </p>
                </li>
              ))}
            </ul>
          </details>
        ) : null}
      </Section>

      <Section id="rec-meds" title={t`Medicines`} count={activeMeds.length}>
        {activeMeds.length === 0 ? <Empty>{t`No current medicines are recorded.`}</Empty> : <MedicationList meds={activeMeds} refills />}
        {stoppedMeds.length > 0 ? (
          <details class="rec-more">
            <summary>{stoppedMedicines(stoppedMeds.length)}</summary>
            <MedicationList meds={stoppedMeds} />
          </details>
        ) : null}
      </Section>

      <Section id="rec-immunizations" title={t`Vaccines`} count={immunizations.length}>
        {immunizations.length === 0 ? (
          <Empty>{t`No vaccines are recorded.`}</Empty>
        ) : (
          <ul class="rec-list">
            {immunizations.map((i) => (
              <li key={i.id} class="rec-item rec-item--row">
                <span class="rec-item-title">{i.vaccine}</span>
                <span class="rec-item-meta">
                  {formatDate(i.date)}
                  {i.dose_number ? ` · ${doseNumber(i.dose_number)}` : ''}
                </span>
              </li>
            ))}
          </ul>
        )}
      </Section>

      <Section id="rec-visits" title={t`Visits and after-visit summaries`} count={visits.length}>
        {visits.length === 0 ? (
          <Empty>{t`No visits are recorded yet.`}</Empty>
        ) : (
          <div class="rec-visits">
            {visits.map((v, i) => (
              <details key={v.id} class="rec-visit" open={i === 0}>
                <summary>
                  <span class="rec-visit-head">
                    <span class="rec-visit-reason">{v.reason}</span>
                    <span class="rec-visit-when">
                      <time dateTime={v.start}>{formatDateTime(v.start)}</time> · {visitTypeWords(v.visit_type)}
                    </span>
                  </span>
                </summary>
                <dl class="rec-avs">
                  <div>
                    <dt>{t`Seen by`}</dt>
                    <dd>
                      {v.provider}
                      {v.location ? `, ${v.location}` : ''}
                    </dd>
                  </div>
                  {v.diagnoses.length > 0 ? (
                    <div>
                      <dt>{t`Diagnoses`}</dt>
                      <dd>
                        <ul>
                          {v.diagnoses.map((d) => (
                            <li key={d.name}>{d.name}</li>
                          ))}
                        </ul>
                      </dd>
                    </div>
                  ) : null}
                  {v.instructions ? (
                    <div>
                      <dt>{t`Instructions`}</dt>
                      <dd class="rec-pre">{v.instructions}</dd>
                    </div>
                  ) : null}
                  {v.follow_up ? (
                    <div>
                      <dt>{t`Follow-up`}</dt>
                      <dd>{v.follow_up}</dd>
                    </div>
                  ) : null}
                </dl>
              </details>
            ))}
          </div>
        )}
      </Section>
    </div>
  );
}

export function MedicationList({ meds, refills = false }: { meds: Medication[]; refills?: boolean }) {
  return (
    <ul class="rec-list">
      {meds.map((m) => (
        <li key={m.id} class="rec-item">
          <p class="rec-item-title">
            {m.name}
            <span class={`rec-status rec-status--${m.status}`}>{m.status === 'active' ? t`Active` : t`Stopped`}</span>
          </p>
          <p class="rec-med-instructions">
            <span class="visually-hidden">{t`Dose:`} </span>
            {m.dose} · {m.instructions}
          </p>
          <p class="rec-item-meta">
            {medicationHistory(m.prescriber, formatDate(m.start_date), m.end_date ? formatDate(m.end_date) : null)}
          </p>
          {refills && m.status === 'active' ? (
            <p class="rec-item-meta">
              <Link href={`/refills?medication=${encodeURIComponent(m.id)}`}>
                {t`Request a refill`}
                <span class="visually-hidden"> {refillOf(m.name)}</span>
              </Link>
            </p>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

// Whole phrases, so each language orders its own words.
function reactionWords(reaction: string): string {
  return t`Reaction: ${reaction}`;
}

function notedOn(day: string): string {
  return t`Noted ${day}`;
}

function sinceDay(day: string): string {
  return t`Since ${day}`;
}

function beganOn(day: string): string {
  return t`Began ${day}`;
}

function doseNumber(dose: number): string {
  return t`Dose ${dose}`;
}

function pastConditions(count: number): string {
  return t`Past conditions (${count})`;
}

function stoppedMedicines(count: number): string {
  return t`Stopped medicines (${count})`;
}

// --- result release preferences --------------------------------------------------------------------

function medicationHistory(prescriber: string, started: string, stopped: string | null): string {
  return stopped
    ? t`Prescribed by ${prescriber} · Started ${started} · Stopped ${stopped}`
    : t`Prescribed by ${prescriber} · Started ${started}`;
}
