import { t } from '@lingui/core/macro';
import type { ComponentChildren, JSX, Ref } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { useApp } from '../context';
import { takeFocusRequest } from '../../router';
import { Icon, type IconName } from './Icons';

/** Sets the document title and, after an in-app navigation, moves focus to the page's h1. */
export function usePageTitle(title: string, clinicName: string | null | undefined): Ref<HTMLHeadingElement> {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · ${clinicName || t`Clinic Portal`}`;
  }, [title, clinicName]);
  useEffect(() => {
    if (takeFocusRequest()) heading.current?.focus({ preventScroll: false });
  }, []);
  return heading;
}

interface PageProps {
  title: string;
  /** Visible heading when it differs from the document title. */
  heading?: ComponentChildren;
  lead?: ComponentChildren;
  children?: ComponentChildren;
  narrow?: boolean;
  /** A small line above the h1 (e.g. the clinic name). */
  eyebrow?: string;
}

export function Page({ title, heading, lead, children, narrow, eyebrow }: PageProps) {
  const { clinic } = useApp();
  const ref = usePageTitle(title, clinic?.name);
  return (
    <div class={narrow ? 'page page--narrow' : 'page'}>
      <div class="page-head">
        {eyebrow ? <p class="eyebrow">{eyebrow}</p> : null}
        <h1 ref={ref} tabIndex={-1}>
          {heading ?? title}
        </h1>
        {lead ? <p class="lead">{lead}</p> : null}
      </div>
      {children}
    </div>
  );
}

type Tone = 'info' | 'success' | 'warning' | 'error';
const toneIcon: Record<Tone, IconName> = { info: 'info', success: 'check', warning: 'alert', error: 'alert' };

export function Notice({
  tone = 'info',
  title,
  children,
  role,
  focusRef,
}: {
  tone?: Tone;
  title?: string;
  children?: ComponentChildren;
  role?: 'alert' | 'status';
  focusRef?: Ref<HTMLDivElement>;
}) {
  return (
    <div class={`notice notice--${tone}`} role={role} ref={focusRef} tabIndex={focusRef ? -1 : undefined}>
      <Icon name={toneIcon[tone]} class="notice-icon" />
      <div class="notice-body">
        {title ? <p class="notice-title">{title}</p> : null}
        {children}
      </div>
    </div>
  );
}

export function Loading({ label }: { label?: string }) {
  return (
    <div class="loading" role="status">
      <span class="spinner" aria-hidden="true" />
      <span>{label ?? t`Loading…`}</span>
    </div>
  );
}

interface FieldProps {
  id: string;
  label: string;
  hint?: ComponentChildren;
  error?: string | undefined;
  optional?: boolean;
  children: (describedBy: string | undefined, invalid: boolean) => ComponentChildren;
  class?: string;
}

/** Label, hint, error and the control, wired with aria-describedby / aria-invalid. */
export function Field({ id, label, hint, error, optional, children, class: className }: FieldProps) {
  const hintId = hint ? `${id}-hint` : null;
  const errorId = error ? `${id}-error` : null;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`field${error ? ' field--error' : ''}${className ? ` ${className}` : ''}`}>
      <label for={id}>
        {label}
        {optional ? <span class="optional"> {t`(optional)`}</span> : null}
      </label>
      {hint ? (
        <p class="hint" id={hintId ?? undefined}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p class="field-error" id={errorId ?? undefined}>
          <Icon name="alert" size={18} />
          <span>
            <span class="visually-hidden">{t`Error:`} </span>
            {error}
          </span>
        </p>
      ) : null}
      {children(describedBy, Boolean(error))}
    </div>
  );
}

type InputProps = Omit<JSX.InputHTMLAttributes<HTMLInputElement>, 'onInput' | 'value' | 'label'> & {
  id: string;
  label: string;
  value: string;
  onValue: (value: string) => void;
  hint?: ComponentChildren;
  error?: string | undefined;
  optional?: boolean;
  fieldClass?: string;
};

export function TextField({ id, label, value, onValue, hint, error, optional, fieldClass, ...rest }: InputProps) {
  return (
    <Field id={id} label={label} hint={hint} error={error} optional={optional} class={fieldClass}>
      {(describedBy, invalid) => (
        <input
          id={id}
          name={id}
          type="text"
          value={value}
          onInput={(e) => onValue((e.currentTarget as HTMLInputElement).value)}
          aria-describedby={describedBy}
          aria-invalid={invalid ? 'true' : undefined}
          {...rest}
        />
      )}
    </Field>
  );
}

type SelectProps<T extends string> = Omit<JSX.SelectHTMLAttributes<HTMLSelectElement>, 'onChange' | 'value' | 'label'> & {
  id: string;
  label: string;
  value: T | '';
  onValue: (value: T) => void;
  /** [value, label] pairs, in the order shown. */
  options: readonly (readonly [T, string])[];
  /** An empty first choice ("Choose…") for a field with no answer yet. */
  placeholder?: string | null;
  hint?: ComponentChildren;
  error?: string | undefined;
  optional?: boolean;
  fieldClass?: string;
};

export function SelectField<T extends string>({
  id,
  label,
  value,
  onValue,
  options,
  placeholder,
  hint,
  error,
  optional,
  fieldClass,
  ...rest
}: SelectProps<T>) {
  return (
    <Field id={id} label={label} hint={hint} error={error} optional={optional} class={fieldClass}>
      {(describedBy, invalid) => (
        <select
          id={id}
          name={id}
          value={value}
          onChange={(e) => onValue((e.currentTarget as HTMLSelectElement).value as T)}
          aria-describedby={describedBy}
          aria-invalid={invalid ? 'true' : undefined}
          {...rest}
        >
          {placeholder === null ? null : <option value="">{placeholder ?? t`Choose…`}</option>}
          {options.map(([optionValue, optionLabel]) => (
            <option key={optionValue} value={optionValue}>
              {optionLabel}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

export interface SummaryItem {
  target: string | null;
  text: string;
}

/** "There is a problem" list; each entry links to (and focuses) its field. */
export function ErrorSummary({ items, title }: { items: SummaryItem[]; title?: string }) {
  if (items.length === 0) return null;
  return (
    <div class="error-summary" aria-labelledby="error-summary-title">
      <h2 id="error-summary-title">{title ?? t`There is a problem`}</h2>
      <ul>
        {items.map((item) => (
          <li key={`${item.target}-${item.text}`}>
            {item.target ? (
              <a
                href={`#${item.target}`}
                onClick={(e) => {
                  e.preventDefault();
                  const el = document.getElementById(item.target ?? '');
                  el?.focus();
                  el?.scrollIntoView({ block: 'center' });
                }}
              >
                {item.text}
              </a>
            ) : (
              item.text
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function PasswordInput({
  id,
  value,
  onValue,
  autoComplete,
  describedBy,
  invalid,
  show,
}: {
  id: string;
  value: string;
  onValue: (v: string) => void;
  autoComplete: 'current-password' | 'new-password';
  describedBy?: string | undefined;
  invalid?: boolean;
  show: boolean;
}) {
  return (
    <input
      id={id}
      name={id}
      type={show ? 'text' : 'password'}
      value={value}
      onInput={(e) => onValue((e.currentTarget as HTMLInputElement).value)}
      autoComplete={autoComplete}
      autoCapitalize="none"
      spellcheck={false}
      required
      aria-describedby={describedBy}
      aria-invalid={invalid ? 'true' : undefined}
    />
  );
}

export function ShowPassword({ checked, onChange, id }: { checked: boolean; onChange: (v: boolean) => void; id: string }) {
  return (
    <div class="check">
      <input
        type="checkbox"
        id={id}
        checked={checked}
        onChange={(e) => onChange((e.currentTarget as HTMLInputElement).checked)}
      />
      <label for={id}>{t`Show password`}</label>
    </div>
  );
}
