// What the home page puts first: one item per thing that needs the patient, each one tap away.
import { plural, t } from '@lingui/core/macro';
import type { HomeSummary } from './api';
import type { IconName } from '../../shared/ui/Icons';
import { formatCents } from '../billing/billing';
import { formatWeekdayDateTime } from '../../shared/format';
import { visitPath } from '../visit/visitApi';

export interface AttentionItem {
  key: string;
  href: string;
  icon: IconName;
  title: string;
  text: string;
  urgent: boolean;
}

export function attentionItems(s: HomeSummary): AttentionItem[] {
  const items: AttentionItem[] = [];
  for (const a of s.video_now) {
    items.push({
      key: `video-${a.id}`,
      href: visitPath(a.patient_id, a.id),
      icon: 'phone',
      title: t`Your video visit is about to start`,
      text: t`With ${a.provider.name}. Check your camera and microphone, then join.`,
      urgent: true,
    });
  }
  // A part is null when a caregiver's grant does not cover its area: nothing to say about it.
  const { balance } = s;
  const due = balance ? formatCents(balance.balance_cents, balance.currency) : '';
  if (balance && balance.overdue_cents > 0) {
    const overdue = formatCents(balance.overdue_cents, balance.currency);
    items.push({
      key: 'balance',
      href: '/billing',
      icon: 'card',
      title: t`${overdue} overdue`,
      text: t`Balance due ${due}. Pay or set up a payment plan.`,
      urgent: true,
    });
  } else if (balance && balance.balance_cents > 0) {
    items.push({
      key: 'balance',
      href: '/billing',
      icon: 'card',
      title: t`${due} balance due`,
      text: t`See your statements and pay online.`,
      urgent: false,
    });
  }
  for (const a of s.checkin_due) {
    // Several visits can have forms open at once: the day and time tell them apart.
    const when = formatWeekdayDateTime(a.starts_at, a.time_zone);
    items.push({
      key: `checkin-${a.id}`,
      href: `/appointments/${encodeURIComponent(a.id)}/check-in`,
      icon: 'clipboard',
      title: t`Forms to complete before your visit`,
      text: t`eCheck-in for your visit on ${when} with ${a.provider.name}.`,
      urgent: false,
    });
  }
  if (s.new_results) {
    items.push({
      key: 'results',
      href: '/results',
      icon: 'check',
      title: plural(s.new_results, { one: 'New test result', other: '# new test results' }),
      text: t`Open them to see values, ranges and notes from your care team.`,
      urgent: false,
    });
  }
  if (s.unread_threads) {
    items.push({
      key: 'messages',
      href: '/messages',
      icon: 'mail',
      title: plural(s.unread_threads, { one: 'Unread message', other: '# unread messages' }),
      text: t`Your care team wrote to you.`,
      urgent: false,
    });
  }
  return items;
}
