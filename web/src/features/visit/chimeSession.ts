// The Amazon Chime SDK's MeetingSession behind VisitSession. Loaded only for a real meeting.

import { t } from '@lingui/core/macro';
import {
  ConsoleLogger,
  DefaultDeviceController,
  DefaultMeetingSession,
  LogLevel,
  MeetingSessionConfiguration,
  type AudioVideoObserver,
} from 'amazon-chime-sdk-js';
import type { Participant, VisitSession } from './session';
import type { VideoJoin } from './visitApi';

export class ChimeSession implements VisitSession {
  private session: DefaultMeetingSession;
  private present = new Map<string, Participant>();
  private changeListeners: ((p: Participant[]) => void)[] = [];
  private failedListeners: (() => void)[] = [];

  constructor(join: VideoJoin) {
    if (!join.meeting || !join.attendee) throw new Error('no meeting to join');
    const logger = new ConsoleLogger('visit', LogLevel.WARN);
    const configuration = new MeetingSessionConfiguration(
      {
        Meeting: {
          MeetingId: join.meeting.meeting_id,
          ExternalMeetingId: join.meeting.external_meeting_id,
          MediaRegion: join.meeting.media_region,
          MediaPlacement: join.meeting.media_placement,
        },
      },
      {
        Attendee: {
          AttendeeId: join.attendee.attendee_id,
          ExternalUserId: join.attendee.external_user_id,
          JoinToken: join.attendee.join_token,
        },
      },
    );
    this.session = new DefaultMeetingSession(configuration, logger, new DefaultDeviceController(logger));
    const self = join.attendee.attendee_id;
    this.session.audioVideo.realtimeSubscribeToAttendeeIdPresence((attendeeId, present, externalUserId) => {
      if (present) {
        const isPatient = (externalUserId ?? '').startsWith('patient-');
        this.present.set(attendeeId, {
          id: attendeeId,
          label: attendeeId === self ? t`You` : isPatient ? t`The patient` : t`Your clinician`,
          self: attendeeId === self,
        });
      } else {
        this.present.delete(attendeeId);
      }
      const people = [...this.present.values()];
      for (const listener of this.changeListeners) listener(people);
    });
    const observer: AudioVideoObserver = {
      audioVideoDidStop: (status) => {
        if (status.isFailure()) for (const listener of this.failedListeners) listener();
      },
    };
    this.session.audioVideo.addObserver(observer);
  }

  async start(options: { audioOnly: boolean; audioElement: HTMLAudioElement; localVideo: HTMLVideoElement | null }) {
    const av = this.session.audioVideo;
    const mics = await av.listAudioInputDevices();
    if (mics[0]) await av.startAudioInput(mics[0].deviceId);
    await av.bindAudioElement(options.audioElement);
    av.start();
    if (!options.audioOnly) await this.setCamera(true, options.localVideo);
  }

  setMuted(muted: boolean): void {
    if (muted) this.session.audioVideo.realtimeMuteLocalAudio();
    else this.session.audioVideo.realtimeUnmuteLocalAudio();
  }

  async setCamera(on: boolean, localVideo: HTMLVideoElement | null): Promise<void> {
    const av = this.session.audioVideo;
    if (!on) {
      av.stopLocalVideoTile();
      await av.stopVideoInput();
      return;
    }
    const cameras = await av.listVideoInputDevices();
    if (!cameras[0]) return;
    await av.startVideoInput(cameras[0].deviceId);
    av.startLocalVideoTile();
    const tile = av.getLocalVideoTile();
    const id = tile?.state().tileId;
    if (localVideo && id != null) av.bindVideoElement(id, localVideo);
  }

  async leave(): Promise<void> {
    this.session.audioVideo.stop();
  }

  onChange(listener: (p: Participant[]) => void): void {
    this.changeListeners.push(listener);
  }

  onFailed(listener: () => void): void {
    this.failedListeners.push(listener);
  }
}
