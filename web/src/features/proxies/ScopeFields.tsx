// What a caregiver grant covers, as a form part: the whole record or chosen areas, view-only or acting.
// Used by the patient's invitation and scope change, and by the front desk's grant form.

import { t } from '@lingui/core/macro';
import { AREAS, type ProxyArea, type ProxyScope } from './proxies';

export interface ScopeForm {
  whole: boolean;
  areas: ProxyArea[];
  access: 'read' | 'act';
}

export const EMPTY_SCOPE: ScopeForm = { whole: false, areas: [], access: 'act' };

export function scopeBody(form: ScopeForm): ProxyScope {
  return { areas: form.whole ? 'full' : form.areas, access: form.access };
}

/** A grant's scope as the form holds it (to change it). */
export function scopeForm(scope: ProxyScope): ScopeForm {
  return scope.areas === 'full' ? { whole: true, areas: [], access: scope.access } : { whole: false, areas: [...scope.areas], access: scope.access };
}

export const scopeChosen = (form: ScopeForm): boolean => form.whole || form.areas.length > 0;

/** What the caregiver may use: the whole record or chosen areas, and view-only or acting for the patient. */
export function ScopeFields({
  id,
  value,
  onValue,
  error,
  forPatient = false,
}: {
  id: string;
  value: ScopeForm;
  onValue: (v: ScopeForm) => void;
  error?: string | undefined;
  /** The front desk's wording ("the patient's record") instead of the patient's own ("my record"). */
  forPatient?: boolean;
}) {
  const errorId = `${id}-error`;
  const toggle = (area: ProxyArea, on: boolean) =>
    onValue({ ...value, areas: on ? [...value.areas, area] : value.areas.filter((a) => a !== area) });
  return (
    <div class="span-2 proxy-scope">
      <fieldset class="radios" id={id} tabIndex={-1} aria-describedby={error ? errorId : undefined}>
        <legend>{t`What they can use`}</legend>
        {error ? (
          <p class="field-error" id={errorId}>
            {error}
          </p>
        ) : null}
        <div class="check">
          <input type="radio" id={`${id}-whole`} name={`${id}-whole`} checked={value.whole} onChange={() => onValue({ ...value, whole: true })} />
          <label for={`${id}-whole`}>{forPatient ? t`Everything in the patient's record` : t`Everything in my record`}</label>
        </div>
        <div class="check">
          <input type="radio" id={`${id}-some`} name={`${id}-whole`} checked={!value.whole} onChange={() => onValue({ ...value, whole: false })} />
          <label for={`${id}-some`}>{t`Only the areas I choose`}</label>
        </div>
        {!value.whole ? (
          <div class="checks proxy-areas">
            {AREAS.map(([area, label]) => (
              <div class="check" key={area}>
                <input
                  type="checkbox"
                  id={`${id}-area-${area}`}
                  checked={value.areas.includes(area)}
                  onChange={(e) => toggle(area, (e.currentTarget as HTMLInputElement).checked)}
                />
                <label for={`${id}-area-${area}`}>{label}</label>
              </div>
            ))}
          </div>
        ) : null}
      </fieldset>
      <fieldset class="radios">
        <legend>{t`What they can do`}</legend>
        <div class="check">
          <input type="radio" id={`${id}-act`} name={`${id}-access`} checked={value.access === 'act'} onChange={() => onValue({ ...value, access: 'act' })} />
          <label for={`${id}-act`}>{forPatient ? t`View and act for the patient (book, pay, send messages)` : t`View and act for me (book, pay, send messages)`}</label>
        </div>
        <div class="check">
          <input type="radio" id={`${id}-read`} name={`${id}-access`} checked={value.access === 'read'} onChange={() => onValue({ ...value, access: 'read' })} />
          <label for={`${id}-read`}>{t`View only`}</label>
        </div>
      </fieldset>
    </div>
  );
}
