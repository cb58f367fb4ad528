// The printable health summary: the record laid out to read, print or save as a PDF (the browser's own
// print dialog). Every section is a captioned table; flags are written in words.

import { t } from '@lingui/core/macro';
import type { ComponentChildren } from 'preact';
import '../healthSummary.css';
import { useApp } from '../../../shared/context';
import { formatDate, formatDateTime } from '../../../shared/format';
import { loadFailure, useLoad } from '../../../shared/hooks/useLoad';
import { Icon } from '../../../shared/ui/Icons';
import { LoadFailed } from '../../../shared/ui/Lists';
import { Loading, Page } from '../../../shared/ui/ui';
import { Link } from '../../../router';
import {
  allergyStatus,
  flagWords,
  healthSummaryApi,
  isAbnormal,
  medicationStatus,
  modalityWords,
  type PrintableHealthSummary,
  problemStatus,
  rangeText,
  severityWords,
  valueText,
  visitTypeWords,
} from '../healthSummary';

export function HealthSummaryPage() {
  const { api, patient } = useApp();
  const pid = patient?.id ?? null;
  const loaded = useLoad((signal) => healthSummaryApi(api).printable(pid!, signal), [pid], { enabled: pid !== null });
  const error = loadFailure(loaded.error, t`We couldn't load the health summary. Please try again.`);

  return (
    <Page title={t`Health summary`} lead={t`Your health record on one page, ready to print or save as a PDF.`}>
      <p class="no-print hs-back">
        <Link href="/record">
          <Icon name="chevron" size={18} class="hs-back-icon" />
          {t`Back to the health record`}
        </Link>
      </p>
      {error ? (
        <LoadFailed error={error} onRetry={loaded.reload} />
      ) : !loaded.data ? (
        <Loading label={t`Loading the health summary…`} />
      ) : (
        <>
          <div class="hs-actions no-print">
            <button type="button" class="button button--primary" onClick={() => window.print()}>
              {t`Print or save as PDF`}
            </button>
            <p class="muted small">{t`In the print window, choose "Save as PDF" to keep a copy. It holds your health information: keep it safe.`}</p>
          </div>
          <HealthSummarySheet data={loaded.data} />
        </>
      )}
    </Page>
  );
}

function Section({ id, title, children }: { id: string; title: string; children: ComponentChildren }) {
  return (
    <section class="hs-section" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

function None({ children }: { children: ComponentChildren }) {
  return <p class="hs-none">{children}</p>;
}

type Row = { key: string; cells: ComponentChildren[]; abnormal?: boolean };

/** A captioned table whose first column heads each row; on a narrow screen each row stacks as a card. */
function Table({ caption, columns, rows }: { caption: string; columns: string[]; rows: Row[] }) {
  return (
    <div class="hs-table-wrap">
      <table class="hs-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key} class={row.abnormal ? 'hs-abnormal' : undefined}>
              {row.cells.map((cell, n) =>
                n === 0 ? (
                  <th key={n} scope="row" data-label={columns[n]}>
                    {cell}
                  </th>
                ) : (
                  <td key={n} data-label={columns[n]}>
                    {cell}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The summary itself: also what prints. */
export function HealthSummarySheet({ data }: { data: PrintableHealthSummary }) {
  const generated = formatDateTime(data.generated_at);
  const birth = formatDate(data.birth_date);
  const notRecorded = t`Not recorded`;
  return (
    <article class="hs-sheet" aria-labelledby="hs-patient">
      <header class="hs-head">
        <p class="hs-clinic">{data.clinic_name}</p>
        <p class="hs-patient" id="hs-patient">
          {t`Health summary for ${data.patient_name}`}
        </p>
        <dl class="hs-facts">
          <div>
            <dt>{t`Date of birth`}</dt>
            <dd>{birth}</dd>
          </div>
          <div>
            <dt>{t`Printed`}</dt>
            <dd>{generated}</dd>
          </div>
          <div>
            <dt>{t`Clinic phone`}</dt>
            <dd>{data.clinic_phone}</dd>
          </div>
        </dl>
      </header>

      <Section id="hs-allergies" title={t`Allergies`}>
        {data.allergies.length === 0 ? (
          <None>{t`No allergies are recorded.`}</None>
        ) : (
          <Table
            caption={t`Allergies and reactions`}
            columns={[t`Allergy`, t`Reaction`, t`Severity`, t`Status`]}
            rows={data.allergies.map((a) => ({
              key: a.id,
              cells: [a.substance, a.reaction ?? notRecorded, severityWords(a.severity), allergyStatus(a.status)],
            }))}
          />
        )}
      </Section>

      <Section id="hs-problems" title={t`Health problems`}>
        {data.problems.length === 0 ? (
          <None>{t`No health problems are recorded.`}</None>
        ) : (
          <Table
            caption={t`Health problems, current first`}
            columns={[t`Problem`, t`Status`, t`Since`, t`Note`]}
            rows={data.problems.map((p) => ({
              key: p.id,
              cells: [p.name, problemStatus(p.status), p.onset_date ? formatDate(p.onset_date) : notRecorded, p.note ?? ''],
            }))}
          />
        )}
      </Section>

      <Section id="hs-medications" title={t`Medicines`}>
        {data.medications.length === 0 ? (
          <None>{t`No medicines are recorded.`}</None>
        ) : (
          <Table
            caption={t`Medicines, the ones you take first`}
            columns={[t`Medicine`, t`Dose`, t`How to take it`, t`Prescribed by`, t`Status`]}
            rows={data.medications.map((m) => ({
              key: m.id,
              cells: [
                m.name,
                m.dose,
                m.instructions,
                m.prescriber,
                medicationStatus(m.status) + (m.status !== 'active' && m.end_date ? ` (${formatDate(m.end_date)})` : ''),
              ],
            }))}
          />
        )}
      </Section>

      <Section id="hs-immunizations" title={t`Vaccines`}>
        {data.immunizations.length === 0 ? (
          <None>{t`No vaccines are recorded.`}</None>
        ) : (
          <Table
            caption={t`Vaccines, newest first`}
            columns={[t`Vaccine`, t`Date`, t`Dose`]}
            rows={data.immunizations.map((i) => ({
              key: i.id,
              cells: [i.vaccine, formatDate(i.date), i.dose_number ? String(i.dose_number) : ''],
            }))}
          />
        )}
      </Section>

      <Section id="hs-results" title={t`Recent test results`}>
        {data.results.length === 0 ? (
          <None>{t`No test results yet.`}</None>
        ) : (
          <>
            {data.results_total > data.results.length ? (
              <p class="hs-note">
                {t`The ${data.results.length} newest of ${data.results_total} results. All of them are on the Test results page.`}
              </p>
            ) : null}
            {data.results.map((r) => (
              <div key={r.id} class="hs-result">
                <h3>{r.name}</h3>
                <Table
                  caption={t`Collected ${formatDateTime(r.collected_at)}`}
                  columns={[t`Test`, t`Your result`, t`Normal range`, t`What it means`]}
                  rows={r.components.map((c, n) => ({
                    key: String(n),
                    abnormal: isAbnormal(c.flag),
                    cells: [
                      c.name,
                      valueText(c),
                      rangeText(c),
                      isAbnormal(c.flag) ? <strong>{flagWords(c.flag)}</strong> : flagWords(c.flag),
                    ],
                  }))}
                />
                {r.comment ? (
                  <p class="hs-comment">
                    {t`Note from your care team:`} {r.comment}
                  </p>
                ) : null}
              </div>
            ))}
          </>
        )}
      </Section>

      <Section id="hs-visits" title={t`Visits`}>
        {data.upcoming ? (
          <>
            <h3>{t`Upcoming visits`}</h3>
            {data.upcoming.length === 0 ? (
              <None>{t`No upcoming visits are booked.`}</None>
            ) : (
              <Table
                caption={t`Upcoming visits, soonest first`}
                columns={[t`When`, t`With`, t`Visit`, t`Where`]}
                rows={data.upcoming.map((a) => ({
                  key: a.id,
                  cells: [formatDateTime(a.starts_at, a.time_zone), a.provider, a.visit_type ?? '', modalityWords(a.modality)],
                }))}
              />
            )}
          </>
        ) : null}
        <h3>{t`Recent visits`}</h3>
        {data.visits.length === 0 ? (
          <None>{t`No past visits are recorded.`}</None>
        ) : (
          <>
            {data.visits_total > data.visits.length ? (
              <p class="hs-note">{t`The ${data.visits.length} newest of ${data.visits_total} visits.`}</p>
            ) : null}
            <Table
              caption={t`Recent visits, newest first`}
              columns={[t`Date`, t`Visit`, t`Seen by`, t`Reason`, t`Diagnoses`, t`Follow-up`]}
              rows={data.visits.map((v) => ({
                key: v.id,
                cells: [
                  formatDate(v.start.slice(0, 10)),
                  visitTypeWords(v.visit_type),
                  v.provider,
                  v.reason,
                  v.diagnoses.map((d) => d.name).join('; '),
                  v.follow_up,
                ],
              }))}
            />
          </>
        )}
      </Section>
    </article>
  );
}
