// The parts of the eCheck-in form: a section with its heading, a field's error, the medication and allergy
// lists. The questionnaires and their questions are in CheckinQuestions.

import { t } from '@lingui/core/macro';
import type { ComponentChildren } from 'preact';
import { checkinInputId } from '../appointmentsCheckin';
import { Icon } from '../../../shared/ui/Icons';
import { Field } from '../../../shared/ui/ui';

export function Section({ id, title, description, children }: { id: string; title: string; description?: ComponentChildren; children: ComponentChildren }) {
  return (
    <section class="card form-section" aria-labelledby={id}>
      <div class="form-section-head">
        <h2 id={id}>{title}</h2>
        {description ? <p class="muted">{description}</p> : null}
      </div>
      <div class="form-section-body">{children}</div>
    </section>
  );
}

export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p class="field-error" id={id}>
      <Icon name="alert" size={18} />
      <span>
        <span class="visually-hidden">{t`Error: `}</span>
        {message}
      </span>
    </p>
  );
}

export function ListSection({
  kind,
  title,
  description,
  rows,
  firstLabel,
  secondLabel,
  secondHint,
  none,
  noneLabel,
  addLabel,
  error,
  rowError,
  rowErrorKey,
  onNone,
  onRow,
  onRemove,
  onAdd,
}: {
  kind: 'medications' | 'allergies';
  title: string;
  description: string;
  rows: { key: string; first: string; second: string }[];
  firstLabel: string;
  secondLabel: string;
  secondHint: string;
  none: boolean;
  noneLabel: string;
  addLabel: string;
  error: string | undefined;
  rowError: (key: string) => string | undefined;
  rowErrorKey: (key: string) => string;
  onNone: (v: boolean) => void;
  onRow: (key: string, first: string, second: string) => void;
  onRemove: (key: string, first: string) => void;
  onAdd: () => void;
}) {
  const noneId = checkinInputId(kind);
  // Numbered names for each line ("Medication 2"), whole phrases so each language orders them its own way.
  const nth = (n: number) => (kind === 'medications' ? t`Medication ${n}` : t`Allergy ${n}`);
  const secondFor = (n: number) =>
    kind === 'medications' ? t`Dose for medication ${n} (optional)` : t`Reaction for allergy ${n} (optional)`;
  return (
    <Section id={`checkin-${kind}-title`} title={title} description={description}>
      <div class={error ? 'field--error appt-list-error' : ''}>
        <FieldError id={`${noneId}-error`} message={error} />
        {!none && rows.length > 0 ? (
          <ul class="appt-rows" aria-label={kind === 'medications' ? t`Your medications` : t`Your allergies`}>
            {rows.map((row, i) => {
              const firstId = checkinInputId(rowErrorKey(row.key));
              const secondId = `${firstId}-second`;
              const problem = rowError(row.key);
              return (
                <li class="appt-row-edit" key={row.key}>
                  <Field id={firstId} label={`${firstLabel} ${i + 1}`} error={problem}>
                    {(describedBy, invalid) => (
                      <input
                        id={firstId}
                        type="text"
                        value={row.first}
                        maxLength={120}
                        autoComplete="off"
                        aria-describedby={describedBy}
                        aria-invalid={invalid ? 'true' : undefined}
                        onInput={(e) => onRow(row.key, (e.currentTarget as HTMLInputElement).value, row.second)}
                      />
                    )}
                  </Field>
                  <Field id={secondId} label={`${secondLabel}`} optional hint={i === 0 ? secondHint : undefined}>
                    {(describedBy) => (
                      <input
                        id={secondId}
                        type="text"
                        value={row.second}
                        maxLength={120}
                        autoComplete="off"
                        aria-describedby={describedBy}
                        aria-label={secondFor(i + 1)}
                        onInput={(e) => onRow(row.key, row.first, (e.currentTarget as HTMLInputElement).value)}
                      />
                    )}
                  </Field>
                  <button type="button" class="button button--ghost appt-remove" onClick={() => onRemove(row.key, row.first)}>
                    {t`Remove`}
                    <span class="visually-hidden"> {row.first || nth(i + 1)}</span>
                  </button>
                </li>
              );
            })}
          </ul>
        ) : null}
        {!none ? (
          <p>
            <button type="button" class="button button--secondary" id={`checkin-${kind}-add`} onClick={onAdd}>
              + {addLabel}
            </button>
          </p>
        ) : null}
        <div class="check">
          <input
            type="checkbox"
            id={noneId}
            checked={none}
            onChange={(e) => onNone((e.currentTarget as HTMLInputElement).checked)}
            aria-describedby={error ? `${noneId}-error` : undefined}
          />
          <label for={noneId}>{noneLabel}</label>
        </div>
      </div>
    </Section>
  );
}
