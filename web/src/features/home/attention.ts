// What the home page puts first: one item per thing that needs the patient, each one tap away.
import type { HomeSummary } from './api';
import type { IconName } from '../../shared/ui/Icons';
import { formatCents } from '../billing/billing';
import { visitPath } from '../visit/visitApi';

export interface AttentionItem {
  key: string;
  href: string;
  icon: IconName;
  title: string;
  text: string;
  urgent: boolean;
}

const plural = (n: number, one: string, many: string) => (n === 1 ? one : many.replace('{n}', String(n)));

export function attentionItems(s: HomeSummary): AttentionItem[] {
  const items: AttentionItem[] = [];
  for (const a of s.video_now) {
    items.push({
      key: `video-${a.id}`,
      href: visitPath(a.patient_id, a.id),
      icon: 'phone',
      title: 'Your video visit is about to start',
      text: `With ${a.provider.name}. Check your camera and microphone, then join.`,
      urgent: true,
    });
  }
  // A part is null when a caregiver's grant does not cover its area: nothing to say about it.
  const { balance } = s;
  if (balance && balance.overdue_cents > 0) {
    items.push({
      key: 'balance',
      href: '/billing',
      icon: 'card',
      title: `${formatCents(balance.overdue_cents, balance.currency)} overdue`,
      text: `Balance due ${formatCents(balance.balance_cents, balance.currency)}. Pay or set up a payment plan.`,
      urgent: true,
    });
  } else if (balance && balance.balance_cents > 0) {
    items.push({
      key: 'balance',
      href: '/billing',
      icon: 'card',
      title: `${formatCents(balance.balance_cents, balance.currency)} balance due`,
      text: 'See your statements and pay online.',
      urgent: false,
    });
  }
  for (const a of s.checkin_due) {
    items.push({
      key: `checkin-${a.id}`,
      href: `/appointments/${encodeURIComponent(a.id)}/check-in`,
      icon: 'clipboard',
      title: 'Forms to complete before your visit',
      text: `eCheck-in for your visit with ${a.provider.name}.`,
      urgent: false,
    });
  }
  if (s.new_results) {
    items.push({
      key: 'results',
      href: '/results',
      icon: 'check',
      title: plural(s.new_results, 'New test result', '{n} new test results'),
      text: 'Open them to see values, ranges and notes from your care team.',
      urgent: false,
    });
  }
  if (s.unread_threads) {
    items.push({
      key: 'messages',
      href: '/messages',
      icon: 'mail',
      title: plural(s.unread_threads, 'Unread message', '{n} unread messages'),
      text: 'Your care team wrote to you.',
      urgent: false,
    });
  }
  return items;
}
