// The video visit client: join (or wait), status (polled), admit (clinician).

import type { Api, Schemas } from '../../shared/api/client';

export type VideoJoin = Schemas['VideoJoinOut'];
export type VideoStatus = Schemas['VideoStatusOut'];

const base = (pid: string, aid: string) =>
  `/patients/${encodeURIComponent(pid)}/appointments/${encodeURIComponent(aid)}/video`;

export function visitApi(api: Api) {
  const { request } = api;
  return {
    join: (pid: string, aid: string) => request<VideoJoin>(`${base(pid, aid)}/join`, { method: 'POST' }),
    status: (pid: string, aid: string, signal?: AbortSignal) =>
      request<VideoStatus>(`${base(pid, aid)}/status`, signal ? { signal } : {}),
    admit: (pid: string, aid: string) => request<VideoStatus>(`${base(pid, aid)}/admit`, { method: 'POST' }),
  };
}

/** "/visit/<patient id>/<appointment id>": the visit page of one appointment. */
export function visitPath(pid: string, aid: string): string {
  return `/visit/${encodeURIComponent(pid)}/${encodeURIComponent(aid)}`;
}
