// The home page's one request: what needs the patient's attention.
import type { Api, Schemas } from '../../shared/api/client';

export type HomeSummary = Schemas['HomeOut'];

export function homeApi(api: Api) {
  return {
    summary: (pid: string, signal?: AbortSignal) =>
      api.request<HomeSummary>(`/patients/${encodeURIComponent(pid)}/home`, signal ? { signal } : {}),
  };
}
