// The device check before a video visit: camera preview, microphone level, a speaker test, and plain
// advice when the browser was refused the devices or has none.

import { t } from '@lingui/core/macro';
import { Trans } from '@lingui/react/macro';
import { useEffect, useRef, useState } from 'preact/hooks';
import { Notice } from '../../shared/ui/ui';

export type DeviceResult = { camera: boolean; microphone: boolean };

type Problem = 'denied' | 'missing' | 'unsupported' | null;

function problemOf(error: unknown): Problem {
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'denied';
  if (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'NotReadableError') return 'missing';
  return 'missing';
}

function stillNotText(phone: string): string {
  return t`If it still doesn't work, call the clinic at ${phone}.`;
}

function alsoCallText(phone: string): string {
  return t`You can also call the clinic at ${phone}.`;
}

export function DeviceCheck({ clinicPhone, onReady }: { clinicPhone: string | null; onReady: (r: DeviceResult) => void }) {
  const video = useRef<HTMLVideoElement>(null);
  const [problem, setProblem] = useState<Problem>(null);
  const [result, setResult] = useState<DeviceResult | null>(null);
  const [level, setLevel] = useState(0);
  const [attempt, setAttempt] = useState(0);
  const [toneState, setToneState] = useState<'idle' | 'playing' | 'played'>('idle');

  useEffect(() => {
    let stream: MediaStream | null = null;
    let context: AudioContext | null = null;
    let frame = 0;
    let live = true;
    setProblem(null);
    const media = typeof navigator !== 'undefined' ? navigator.mediaDevices : undefined;
    if (!media?.getUserMedia) {
      setProblem('unsupported');
      return undefined;
    }
    (async () => {
      try {
        stream = await media.getUserMedia({ video: true, audio: true });
      } catch (first) {
        // No camera (or refused camera only): try the microphone alone, for an audio-only visit.
        try {
          stream = await media.getUserMedia({ audio: true });
        } catch {
          if (live) setProblem(problemOf(first));
          return;
        }
      }
      if (!live) {
        for (const t of stream.getTracks()) t.stop();
        return;
      }
      const found = { camera: stream.getVideoTracks().length > 0, microphone: stream.getAudioTracks().length > 0 };
      setResult(found);
      if (video.current && found.camera) video.current.srcObject = stream;
      if (found.microphone && typeof AudioContext !== 'undefined') {
        context = new AudioContext();
        const analyser = context.createAnalyser();
        analyser.fftSize = 256;
        context.createMediaStreamSource(stream).connect(analyser);
        const samples = new Uint8Array(analyser.frequencyBinCount);
        let last = 0;
        const tick = (now: number) => {
          analyser.getByteTimeDomainData(samples);
          let peak = 0;
          for (const s of samples) peak = Math.max(peak, Math.abs(s - 128));
          if (now - last > 150) {
            last = now; // a few updates a second: enough to see, light on the page
            setLevel(Math.min(100, Math.round((peak / 128) * 200)));
          }
          frame = requestAnimationFrame(tick);
        };
        frame = requestAnimationFrame(tick);
      }
    })();
    return () => {
      live = false;
      cancelAnimationFrame(frame);
      void context?.close();
      for (const t of stream?.getTracks() ?? []) t.stop();
    };
  }, [attempt]);

  const playTone = () => {
    if (typeof AudioContext === 'undefined') return;
    const context = new AudioContext();
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    gain.gain.value = 0.1;
    oscillator.frequency.value = 440;
    oscillator.connect(gain).connect(context.destination);
    oscillator.start();
    setToneState('playing');
    setTimeout(() => {
      oscillator.stop();
      void context.close();
      setToneState('played');
    }, 1000);
  };

  return (
    <section class="visit-check" aria-labelledby="device-check-title">
      <h2 id="device-check-title">{t`Check your camera, microphone and speakers`}</h2>
      {problem === 'denied' ? (
        <Notice tone="error" role="alert" title={t`Your browser blocked the camera and microphone`}>
          <p>
            <Trans>
              Select the camera icon or the lock in your browser's address bar, choose <strong>Allow</strong> for the
              camera and microphone, then select <strong>Try again</strong>.
            </Trans>
          </p>
          {clinicPhone ? <p>{stillNotText(clinicPhone)}</p> : null}
          <button type="button" class="button button--secondary" onClick={() => setAttempt((n) => n + 1)}>
            {t`Try again`}
          </button>
        </Notice>
      ) : problem ? (
        <Notice tone="error" role="alert" title={t`We couldn't find a camera or microphone`}>
          <p>
            <Trans>
              Plug in a headset or camera, or use a phone or tablet, then select <strong>Try again</strong>.
            </Trans>
            {problem === 'unsupported' ? ` ${t`This browser cannot make video calls; try a current Chrome, Edge, Firefox or Safari.`}` : ''}
          </p>
          {clinicPhone ? <p>{alsoCallText(clinicPhone)}</p> : null}
          <button type="button" class="button button--secondary" onClick={() => setAttempt((n) => n + 1)}>
            {t`Try again`}
          </button>
        </Notice>
      ) : null}
      <div class="visit-check-grid">
        <div class="visit-preview">
          <video ref={video} autoPlay muted playsInline aria-label={t`Your camera preview`} />
          {result && !result.camera ? <p class="visit-preview-empty">{t`No camera: your visit can be audio only.`}</p> : null}
        </div>
        <div class="visit-check-steps">
          <p id="mic-level-label">{t`Microphone: say something`}</p>
          <div
            class="visit-meter"
            role="meter"
            aria-labelledby="mic-level-label"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={level}
            aria-valuetext={result?.microphone ? (level > 10 ? t`Hearing you` : t`Quiet`) : t`No microphone`}
          >
            <span style={{ width: `${level}%` }} />
          </div>
          <p>{t`Speakers`}</p>
          <button type="button" class="button button--secondary" onClick={playTone} disabled={toneState === 'playing'}>
            {toneState === 'playing' ? t`Playing a tone…` : t`Play a test sound`}
          </button>
          {toneState === 'played' ? <p class="hint">{t`Didn't hear it? Turn up the volume or plug in headphones.`}</p> : null}
          <button
            type="button"
            class="button button--primary"
            disabled={!result?.microphone}
            onClick={() => result && onReady(result)}
          >
            {t`Join the visit`}
          </button>
        </div>
      </div>
    </section>
  );
}
