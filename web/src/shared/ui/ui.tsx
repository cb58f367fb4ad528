import type { ComponentChildren, JSX, Ref } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { useApp } from '../context';
import { takeFocusRequest } from '../../router';
import { Icon, type IconName } from './Icons';

/** Sets the document title and, after an in-app navigation, moves focus to the page's h1. */
export function usePageTitle(title: string, clinicName: string | null | undefined): Ref<HTMLHeadingElement> {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · ${clinicName || 'Clinic Portal'}`;
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

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div class="loading" role="status">
      <span class="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}

/** A load that failed: what went wrong, announced, and a button to try again. */
export function LoadFailed({ error, onRetry }: { error: string; onRetry: () => void }) {
  return (
    <Notice tone="error" role="alert">
      <p>{error}</p>
      <button type="button" class="button button--secondary" onClick={onRetry}>
        Try again
      </button>
    </Notice>
  );
}

/** A loaded list's states in order: failed (with Try again), loading, empty (a card), else the items. */
export function ListBody<T>({
  error,
  onRetry,
  items,
  loadingLabel,
  empty,
  children,
}: {
  error: string | null;
  onRetry: () => void;
  items: T[] | null;
  loadingLabel: string;
  empty: ComponentChildren;
  children: (items: T[]) => ComponentChildren;
}) {
  if (error) return <LoadFailed error={error} onRetry={onRetry} />;
  if (items === null) return <Loading label={loadingLabel} />;
  if (items.length === 0) return <div class="card empty">{empty}</div>;
  return <>{children(items)}</>;
}

/** The centred button under a list that loads its next page; it says "Loading…" while `busy`. */
export function ShowMore({
  shown,
  onClick,
  busy,
  label,
  wrapper: Wrapper = 'p',
}: {
  shown: boolean;
  onClick: () => void;
  busy?: boolean;
  label: string;
  wrapper?: 'p' | 'div';
}) {
  if (!shown) return null;
  return (
    <Wrapper class="center">
      <button type="button" class="button button--secondary" onClick={onClick} aria-disabled={busy ? 'true' : undefined}>
        {busy ? 'Loading…' : label}
      </button>
    </Wrapper>
  );
}

/**
 * A paged list's part of the page: the error (with Try again while nothing is shown), loading, the empty
 * card or the items, "Load more" under them, and the polite status line that says what "Load more" did.
 */
export function PagedListBody<T>({
  error,
  onRetry,
  items,
  loadingLabel,
  empty,
  hasMore,
  onMore,
  busy,
  announce,
  children,
}: {
  error: string | null;
  onRetry: () => void;
  items: T[] | null;
  loadingLabel: string;
  empty: ComponentChildren;
  hasMore: boolean;
  onMore: () => void;
  busy?: boolean;
  announce: string;
  children: (items: T[]) => ComponentChildren;
}) {
  return (
    <>
      {!error ? null : items === null ? (
        <LoadFailed error={error} onRetry={onRetry} />
      ) : (
        <Notice tone="error" role="alert">
          <p>{error}</p>
        </Notice>
      )}
      {items === null ? (
        error ? null : <Loading label={loadingLabel} />
      ) : items.length === 0 ? (
        <div class="card empty">{empty}</div>
      ) : (
        children(items)
      )}
      <ShowMore shown={items !== null && hasMore} onClick={onMore} busy={busy} label="Load more" wrapper="div" />
      <p class="visually-hidden" role="status" aria-live="polite">
        {announce}
      </p>
    </>
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
        {optional ? <span class="optional"> (optional)</span> : null}
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
            <span class="visually-hidden">Error: </span>
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

export interface SummaryItem {
  target: string | null;
  text: string;
}

/** "There is a problem" list; each entry links to (and focuses) its field. */
export function ErrorSummary({ items, title = 'There is a problem' }: { items: SummaryItem[]; title?: string }) {
  if (items.length === 0) return null;
  return (
    <div class="error-summary" aria-labelledby="error-summary-title">
      <h2 id="error-summary-title">{title}</h2>
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
      <label for={id}>Show password</label>
    </div>
  );
}
