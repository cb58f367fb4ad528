// A video visit: the device check, the patient's waiting room, the clinician's "patient is waiting",
// and the call (Chime SDK or the simulated session, as the join answer says).

import { t } from '@lingui/core/macro';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../../shared/api/client';
import { useApp } from '../../shared/context';
import { dateTimeFormat } from '../../shared/format';
import { Link } from '../../router';
import { Loading, Notice, Page } from '../../shared/ui/ui';
import { DeviceCheck, type DeviceResult } from './DeviceCheck';
import { createSession, SimulatedSession, type Participant, type VisitSession } from './session';
import { visitApi, type VideoJoin, type VideoStatus } from './visitApi';
import './visit.css';

type Step = 'check' | 'joining' | 'waiting' | 'call' | 'failed' | 'left';
const POLL_MS = 5000;

function shownTime(iso: string): string {
  return dateTimeFormat({ month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' }).format(new Date(iso));
}

function joinUntilText(when: string): string {
  return t`You can join until ${when}.`;
}

function callClinicText(phone: string): string {
  return t`Please call the clinic at ${phone}; we can continue your visit by phone.`;
}

/** Ask for the visit's status every few seconds while the tab is visible. */
function usePolledStatus(pid: string, aid: string, enabled: boolean): VideoStatus | null {
  const { api } = useApp();
  const [status, setStatus] = useState<VideoStatus | null>(null);
  useEffect(() => {
    if (!enabled) return undefined;
    let timer = 0;
    const controller = new AbortController();
    const poll = async () => {
      if (!document.hidden) {
        try {
          setStatus(await visitApi(api).status(pid, aid, controller.signal));
        } catch {
          // a missed poll is retried at the next tick
        }
      }
      timer = window.setTimeout(poll, POLL_MS);
    };
    void poll();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [pid, aid, enabled]);
  return status;
}

export function VisitPage({ pid, aid }: { pid: string; aid: string }) {
  const { api, clinic, me } = useApp();
  const isClinician = me?.user.role === 'clinician';
  const [step, setStep] = useState<Step>('check');
  const [join, setJoin] = useState<VideoJoin | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [devices, setDevices] = useState<DeviceResult | null>(null);
  const [audioOnly, setAudioOnly] = useState(false);
  const [muted, setMuted] = useState(false);
  const [people, setPeople] = useState<Participant[]>([]);
  const [admitBusy, setAdmitBusy] = useState(false);
  const session = useRef<VisitSession | null>(null);
  const audio = useRef<HTMLAudioElement>(null);
  const localVideo = useRef<HTMLVideoElement>(null);
  const phone = join?.clinic_phone ?? clinic?.phone_display ?? null;
  const status = usePolledStatus(pid, aid, step === 'waiting' || (isClinician && step === 'call'));

  const enter = async (answer: VideoJoin, cameraOn: boolean) => {
    setJoin(answer);
    if (answer.state === 'waiting') {
      setStep('waiting');
      return;
    }
    try {
      const s = await createSession(answer);
      session.current = s;
      s.onChange(setPeople);
      s.onFailed(() => setStep('failed'));
      setStep('call');
      await s.start({ audioOnly: !cameraOn, audioElement: audio.current!, localVideo: localVideo.current });
    } catch {
      setStep('failed');
    }
  };

  const doJoin = async (result: DeviceResult) => {
    setDevices(result);
    const only = !result.camera;
    setAudioOnly(only);
    setStep('joining');
    setError(null);
    try {
      await enter(await visitApi(api).join(pid, aid), !only);
    } catch (e) {
      setStep('check');
      setError(e instanceof ApiError ? e.message : t`We could not reach the clinic. Check your connection and try again.`);
    }
  };

  // The waiting patient enters once admitted.
  useEffect(() => {
    if (step === 'waiting' && status?.admitted) {
      void visitApi(api)
        .join(pid, aid)
        .then((answer) => enter(answer, !audioOnly))
        .catch(() => setStep('failed'));
    }
  }, [step, status?.admitted]);

  // The simulated session has no media to tell the clinician the patient came in: the status does.
  useEffect(() => {
    if (isClinician && session.current instanceof SimulatedSession) session.current.setOtherPresent(!!status?.admitted);
  }, [status?.admitted, step]);

  useEffect(
    () => () => {
      void session.current?.leave();
    },
    [],
  );

  const admit = async () => {
    setAdmitBusy(true);
    try {
      await visitApi(api).admit(pid, aid);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : t`Admitting the patient failed; try again.`);
    } finally {
      setAdmitBusy(false);
    }
  };

  const leave = async () => {
    await session.current?.leave();
    session.current = null;
    setStep('left');
  };

  const toggleMute = () => {
    session.current?.setMuted(!muted);
    setMuted(!muted);
  };

  const toggleAudioOnly = async () => {
    const next = !audioOnly;
    setAudioOnly(next);
    await session.current?.setCamera(!next, localVideo.current);
  };

  return (
    <Page title={t`Video visit`} narrow={false}>
      <div class="visit">
        {error ? (
          <Notice tone="error" role="alert" title={t`You can't join yet`}>
            <p>{error}</p>
          </Notice>
        ) : null}
        {step === 'check' ? <DeviceCheck clinicPhone={phone} onReady={doJoin} /> : null}
        {step === 'joining' ? <Loading label={t`Joining your visit…`} /> : null}
        {step === 'waiting' ? (
          <section class="visit-waiting" aria-labelledby="waiting-title">
            <h2 id="waiting-title">{t`You're in the waiting room`}</h2>
            <p role="status">{t`Your clinician will let you in shortly. Keep this page open.`}</p>
            {join ? <p class="hint">{joinUntilText(shownTime(join.window.closes_at))}</p> : null}
          </section>
        ) : null}
        {step === 'failed' ? (
          <Notice tone="error" role="alert" title={t`The video connection failed`}>
            <p>{phone ? callClinicText(phone) : t`Please call the clinic.`}</p>
            <button type="button" class="button button--secondary" onClick={() => devices && doJoin(devices)}>
              {t`Try again`}
            </button>
          </Notice>
        ) : null}
        {step === 'left' ? (
          <Notice tone="info" role="status" title={t`You left the visit`}>
            <p>
              <Link href={isClinician ? '/schedule' : '/appointments'}>{isClinician ? t`Back to the schedule` : t`Back to your appointments`}</Link>
            </p>
          </Notice>
        ) : null}
        <section class="visit-call" hidden={step !== 'call'} aria-labelledby="call-title">
          <h2 id="call-title">{join?.provider === 'simulated' ? t`In the visit (simulated)` : t`In the visit`}</h2>
          {isClinician && status?.patient_waiting ? (
            <Notice tone="warning" role="status" title={t`The patient is waiting`}>
              <button type="button" class="button button--primary" onClick={admit} aria-disabled={admitBusy ? 'true' : undefined}>
                {t`Admit the patient`}
              </button>
            </Notice>
          ) : null}
          <div class="visit-stage">
            <video ref={localVideo} class="visit-self" autoPlay muted playsInline aria-label={t`Your video`} hidden={audioOnly} />
            <ul class="visit-people" aria-live="polite" aria-label={t`In the visit`}>
              {people.map((p) => (
                <li key={p.id}>{p.label}</li>
              ))}
            </ul>
          </div>
          <audio ref={audio} />
          <div class="visit-controls" role="toolbar" aria-label={t`Call controls`}>
            <button type="button" class="button button--secondary" aria-pressed={muted} onClick={toggleMute}>
              {muted ? t`Unmute` : t`Mute`}
            </button>
            <button type="button" class="button button--secondary" aria-pressed={audioOnly} onClick={toggleAudioOnly} disabled={devices?.camera === false}>
              {t`Audio only`}
            </button>
            <button type="button" class="button button--secondary" onClick={leave}>
              {t`Leave`}
            </button>
          </div>
        </section>
        {isClinician && step !== 'call' && step !== 'left' ? <ClinicianWaiting pid={pid} aid={aid} /> : null}
      </div>
    </Page>
  );
}

/** Before the clinician joins: whether the patient is already waiting. */
function ClinicianWaiting({ pid, aid }: { pid: string; aid: string }) {
  const status = usePolledStatus(pid, aid, true);
  if (!status) return null;
  return (
    <p class="visit-patient-state" role="status">
      {status.patient_waiting
        ? t`The patient is waiting.`
        : status.admitted
          ? t`The patient is in the visit.`
          : t`The patient has not joined yet.`}
    </p>
  );
}
