// The in-call session behind one interface: the Chime SDK's MeetingSession, or a simulated one when the
// API's meeting provider is simulated (no media transport; both participants shown as present).

import { t } from '@lingui/core/macro';
import type { VideoJoin } from './visitApi';

export type Participant = { id: string; label: string; self: boolean };

export interface VisitSession {
  /** Start audio (and video unless audioOnly); `onChange` hears who is present. */
  start(options: { audioOnly: boolean; audioElement: HTMLAudioElement; localVideo: HTMLVideoElement | null }): Promise<void>;
  setMuted(muted: boolean): void;
  setCamera(on: boolean, localVideo: HTMLVideoElement | null): Promise<void>;
  leave(): Promise<void>;
  onChange(listener: (participants: Participant[]) => void): void;
  onFailed(listener: () => void): void;
}

export class SimulatedSession implements VisitSession {
  private listeners: ((p: Participant[]) => void)[] = [];
  private stream: MediaStream | null = null;

  constructor(private readonly join: VideoJoin) {}

  async start(options: { audioOnly: boolean; localVideo: HTMLVideoElement | null }): Promise<void> {
    if (!options.audioOnly && options.localVideo && navigator.mediaDevices?.getUserMedia) {
      try {
        this.stream = await navigator.mediaDevices.getUserMedia({ video: true });
        options.localVideo.srcObject = this.stream;
      } catch {
        this.stream = null; // the simulated call goes on without a preview
      }
    }
    // The patient is let in by a clinician already in the visit; the clinician sees the patient once
    // the visit's status says they were admitted (the page calls setOtherPresent).
    this.emit(this.join.role === 'patient');
  }

  /** No media here to tell who is connected: the page says whether the other side is in. */
  setOtherPresent(present: boolean): void {
    this.emit(present);
  }

  private emit(otherPresent: boolean): void {
    const self = this.join.role;
    const people: Participant[] = [{ id: `${self}-self`, label: t`You`, self: true }];
    if (otherPresent) {
      people.push(
        self === 'patient'
          ? { id: 'clinician-sim', label: t`Your clinician`, self: false }
          : { id: 'patient-sim', label: t`The patient`, self: false },
      );
    }
    for (const listener of this.listeners) listener(people);
  }

  setMuted(): void {}

  async setCamera(on: boolean, localVideo: HTMLVideoElement | null): Promise<void> {
    if (!on) {
      this.stopStream();
      if (localVideo) localVideo.srcObject = null;
      return;
    }
    await this.start({ audioOnly: false, localVideo });
  }

  async leave(): Promise<void> {
    this.stopStream();
  }

  onChange(listener: (p: Participant[]) => void): void {
    this.listeners.push(listener);
  }

  onFailed(): void {}

  private stopStream(): void {
    for (const track of this.stream?.getTracks() ?? []) track.stop();
    this.stream = null;
  }
}

/** The session the join answer asks for; the Chime SDK loads only here, on a real meeting. */
export async function createSession(join: VideoJoin): Promise<VisitSession> {
  if (join.provider === 'simulated') return new SimulatedSession(join);
  const { ChimeSession } = await import('./chimeSession');
  return new ChimeSession(join);
}
