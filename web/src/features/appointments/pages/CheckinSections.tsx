// The parts of the eCheck-in form: a section with its heading, a field's error, the medication and allergy
// lists, and the questionnaires with their questions.

import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Questionnaire, QuestionnaireItem } from '../api';
import { type Answer, type CheckinErrors, checkinInputId, isEnabled, isScale } from '../appointmentsCheckin';
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
        <span class="visually-hidden">Error: </span>
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
  const singular = kind === 'medications' ? 'medication' : 'allergy';
  return (
    <Section id={`checkin-${kind}-title`} title={title} description={description}>
      <div class={error ? 'field--error appt-list-error' : ''}>
        <FieldError id={`${noneId}-error`} message={error} />
        {!none && rows.length > 0 ? (
          <ul class="appt-rows" aria-label={`Your ${kind}`}>
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
                        aria-label={`${secondLabel} for ${singular} ${i + 1} (optional)`}
                        onInput={(e) => onRow(row.key, row.first, (e.currentTarget as HTMLInputElement).value)}
                      />
                    )}
                  </Field>
                  <button type="button" class="button button--ghost appt-remove" onClick={() => onRemove(row.key, row.first)}>
                    Remove<span class="visually-hidden"> {row.first || `${singular} ${i + 1}`}</span>
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

export function QuestionnaireSection({
  questionnaire: q,
  answers,
  errors,
  emergency,
  onAnswer,
}: {
  questionnaire: Questionnaire;
  answers: Record<string, Answer>;
  errors: CheckinErrors;
  emergency: string;
  onAnswer: (linkId: string, value: Answer) => void;
}) {
  const scored = q.items.some(isScale);
  const visible = q.items.filter((item) => isEnabled(item, answers, q));
  // Follow-up questions can appear as answers are given (e.g. the rest of the PHQ-9): say so.
  const [announce, setAnnounce] = useState('');
  const shown = useRef(visible.length);
  useEffect(() => {
    const added = visible.length - shown.current;
    if (added > 0) setAnnounce(`${added} more ${added === 1 ? 'question appears' : 'questions appear'} below.`);
    else if (added < 0) setAnnounce(`${-added} ${added === -1 ? 'question was' : 'questions were'} removed, as they no longer apply.`);
    shown.current = visible.length;
  }, [visible.length]);
  return (
    <Section id={`checkin-q-${q.id}`} title={q.title} description={q.description || undefined}>
      {scored ? (
        <p class="hint-box">
          <Icon name="info" size={20} />
          <span>Your care team reads these answers before your visit, not right away. {emergency}</span>
        </p>
      ) : null}
      <div class="appt-questions">
        {visible.map((item) => (
          <QuestionItem
            key={item.link_id}
            questionnaire={q}
            item={item}
            value={answers[item.link_id]}
            error={errors[`answers.${q.id}.${item.link_id}`]}
            onAnswer={(v) => onAnswer(item.link_id, v)}
          />
        ))}
      </div>
      <p class="visually-hidden" role="status" aria-live="polite">
        {announce}
      </p>
    </Section>
  );
}

export function QuestionItem({
  questionnaire: q,
  item,
  value,
  error,
  onAnswer,
}: {
  questionnaire: Questionnaire;
  item: QuestionnaireItem;
  value: Answer | undefined;
  error: string | undefined;
  onAnswer: (v: Answer) => void;
}) {
  const id = checkinInputId(`answers.${q.id}.${item.link_id}`);
  const errorId = `${id}-error`;
  const optional = !item.required && !item.must_be_true;
  const text = typeof value === 'string' ? value : value === undefined ? '' : String(value);

  if (item.type === 'display') return <p class="appt-q-display">{item.text}</p>;

  if (item.type === 'choice' || (item.type === 'boolean' && !item.must_be_true)) {
    const choices = item.type === 'choice' ? item.options.map((o) => ({ code: o.code, display: o.display })) : [
      { code: 'yes', display: 'Yes' },
      { code: 'no', display: 'No' },
    ];
    const current = item.type === 'boolean' ? (value === true ? 'yes' : value === false ? 'no' : '') : text;
    return (
      <fieldset
        class={`appt-question radios${isScale(item) ? ' appt-scale' : ''}${error ? ' field--error' : ''}`}
        aria-describedby={error ? errorId : undefined}
      >
        <legend>
          {item.text}
          {optional ? <span class="optional"> (optional)</span> : null}
        </legend>
        <FieldError id={errorId} message={error} />
        <div class="appt-choices">
          {choices.map((c, i) => {
            const optionId = i === 0 ? id : `${id}-${c.code.replace(/[^A-Za-z0-9_-]/g, '-')}`;
            return (
              <div class="check appt-choice" key={c.code}>
                <input
                  type="radio"
                  id={optionId}
                  name={id}
                  checked={current === c.code}
                  aria-invalid={error ? 'true' : undefined}
                  onChange={() => onAnswer(item.type === 'boolean' ? c.code === 'yes' : c.code)}
                />
                <label for={optionId}>{c.display}</label>
              </div>
            );
          })}
        </div>
      </fieldset>
    );
  }

  if (item.type === 'boolean') {
    // A consent: one checkbox that must be ticked.
    return (
      <div class={`check appt-consent${error ? ' field--error' : ''}`}>
        <input
          type="checkbox"
          id={id}
          checked={value === true}
          onChange={(e) => onAnswer((e.currentTarget as HTMLInputElement).checked)}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? errorId : undefined}
        />
        <label for={id}>{item.text}</label>
        <FieldError id={errorId} message={error} />
      </div>
    );
  }

  const hint =
    item.type === 'signature'
      ? `Typing your full name here is your electronic signature, dated ${new Intl.DateTimeFormat(undefined, { dateStyle: 'long' }).format(new Date())}.`
      : item.type === 'text'
        ? `Up to ${item.max_length} characters.`
        : undefined;

  return (
    <Field id={id} label={item.text} hint={hint} error={error} optional={optional} class="appt-question">
      {(describedBy, invalid) =>
        item.type === 'text' ? (
          <textarea
            id={id}
            class="appt-textarea"
            rows={4}
            value={text}
            maxLength={item.max_length}
            aria-describedby={describedBy}
            aria-invalid={invalid ? 'true' : undefined}
            onInput={(e) => onAnswer((e.currentTarget as HTMLTextAreaElement).value)}
          />
        ) : (
          <input
            id={id}
            type={item.type === 'date' ? 'date' : 'text'}
            class={item.type === 'signature' ? 'appt-signature' : item.type === 'integer' ? 'input--short' : undefined}
            value={text}
            maxLength={item.type === 'date' ? undefined : item.max_length}
            inputMode={item.type === 'integer' ? 'numeric' : undefined}
            autoComplete={item.type === 'signature' ? 'name' : 'off'}
            spellcheck={item.type === 'signature' ? false : undefined}
            aria-describedby={describedBy}
            aria-invalid={invalid ? 'true' : undefined}
            onInput={(e) => onAnswer((e.currentTarget as HTMLInputElement).value)}
          />
        )
      }
    </Field>
  );
}
