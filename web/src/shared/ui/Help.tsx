import { t } from '@lingui/core/macro';
import type { Clinic } from '../api/client';
import { Icon } from './Icons';

/** How to reach the clinic. Shown in the Help dialog (every page) and on /help. */
export function HelpContent({ clinic }: { clinic: Clinic | null }) {
  if (!clinic) {
    return (
      <div class="help">
        <p class="emergency">
          <Icon name="alert" />
          <span>{t`If this is a medical emergency, call 911.`}</span>
        </p>
        <p>{t`We couldn't load the clinic's contact details just now. Please call your clinic's usual number.`}</p>
      </div>
    );
  }
  const clinicName = clinic.name;
  return (
    <div class="help">
      <p class="emergency">
        <Icon name="alert" />
        <strong lang={clinic.language}>{clinic.emergency_notice}</strong>
      </p>
      <p>{t`For questions about your account, appointments or this portal, contact ${clinicName}.`}</p>
      <ul class="contact-list">
        <li>
          <Icon name="phone" />
          <div>
            <span class="contact-label">{t`Call`}</span>
            <a href={`tel:${clinic.phone}`} class="contact-value">
              {clinic.phone_display || clinic.phone}
            </a>
          </div>
        </li>
        <li>
          <Icon name="mail" />
          <div>
            <span class="contact-label">{t`Email`}</span>
            <a href={`mailto:${clinic.email}`} class="contact-value">
              {clinic.email}
            </a>
            <span class="contact-note">{t`Please don't send medical details by email.`}</span>
          </div>
        </li>
        {clinic.address ? (
          <li>
            <Icon name="pin" />
            <div>
              <span class="contact-label">{t`Address`}</span>
              <span class="contact-value">{clinic.address}</span>
            </div>
          </li>
        ) : null}
        <li>
          <Icon name="clock" />
          <div>
            <span class="contact-label">{t`Opening hours`}</span>
            <dl class="hours" lang={clinic.language}>
              {clinic.hours.map((h) => (
                <div key={h.days}>
                  <dt>{h.days}</dt>
                  <dd>{h.hours}</dd>
                </div>
              ))}
            </dl>
          </div>
        </li>
      </ul>
      <p class="help-foot">
        {t`Forgot your password? Choose “Forgot password?” on the sign-in page, or call us and we'll help.`}
      </p>
    </div>
  );
}
