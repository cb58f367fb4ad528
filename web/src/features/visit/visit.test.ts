import { describe, expect, it } from 'vitest';
import { SimulatedSession, type Participant } from './session';
import type { VideoJoin } from './visitApi';
import { visitRoute } from './VisitRoute';

const join = (role: 'patient' | 'clinician'): VideoJoin => ({
  provider: 'simulated',
  state: 'in_call',
  role,
  window: { opens_at: '2030-01-01T09:45:00-06:00', closes_at: '2030-01-01T11:00:00-06:00' },
  clinic_phone: '(555) 010-0100',
  meeting: null,
  attendee: null,
});

describe('visitRoute', () => {
  it('reads the patient and appointment of a visit path, and nothing else', () => {
    expect(visitRoute('/visit/p-4f1c2a9e/apt-123')).toEqual({ pid: 'p-4f1c2a9e', aid: 'apt-123' });
    expect(visitRoute('/visit/p-1')).toBeNull();
    expect(visitRoute('/visit/p-1/apt-1/extra')).toBeNull();
    expect(visitRoute('/visit/p 1/apt-1')).toBeNull();
  });
});

describe('SimulatedSession', () => {
  const names = (people: Participant[]) => people.map((p) => p.label);

  it('puts the admitted patient with their clinician at once', async () => {
    const session = new SimulatedSession(join('patient'));
    let seen: Participant[] = [];
    session.onChange((p) => (seen = p));
    await session.start({ audioOnly: true, localVideo: null });
    expect(names(seen)).toEqual(['You', 'Your clinician']);
  });

  it('shows the clinician alone until the patient is admitted', async () => {
    const session = new SimulatedSession(join('clinician'));
    let seen: Participant[] = [];
    session.onChange((p) => (seen = p));
    await session.start({ audioOnly: true, localVideo: null });
    expect(names(seen)).toEqual(['You']);
    session.setOtherPresent(true);
    expect(names(seen)).toEqual(['You', 'The patient']);
  });
});
