// The questionnaires of the eCheck-in form, with their questions.

import { t } from '@lingui/core/macro';
import { browserTimeZone, formatDate, isoDayIn } from '../../../shared/format';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Questionnaire, QuestionnaireItem } from '../api';
import { type Answer, type CheckinErrors, checkinInputId, isEnabled, isScale } from '../appointmentsCheckin';
import { Icon } from '../../../shared/ui/Icons';
import { Field } from '../../../shared/ui/ui';
import { FieldError, Section } from './CheckinSections';

function signatureHint(date: string): string {
  return t`Typing your full name here is your electronic signature, dated ${date}.`;
}

function upToText(max: number): string {
  return t`Up to ${max} characters.`;
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
          <span>
            {t`Your care team reads these answers before your visit, not right away.`} {emergency}
          </span>
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
      { code: 'yes', display: t`Yes` },
      { code: 'no', display: t`No` },
    ];
    const current = item.type === 'boolean' ? (value === true ? 'yes' : value === false ? 'no' : '') : text;
    return (
      <fieldset
        class={`appt-question radios${isScale(item) ? ' appt-scale' : ''}${error ? ' field--error' : ''}`}
        aria-describedby={error ? errorId : undefined}
      >
        <legend>
          {item.text}
          {optional ? <span class="optional"> {t`(optional)`}</span> : null}
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
      ? signatureHint(formatDate(isoDayIn(browserTimeZone())))
      : item.type === 'text'
        ? upToText(item.max_length)
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
