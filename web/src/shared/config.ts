// Runtime settings come from /config.json, so one build runs locally and deployed.

export interface PortalConfig {
  apiBase: string;
  cognito: {
    endpoint: string;
    region: string;
    clientId: string;
    userPoolId: string;
  };
  stage: string;
}

export class ConfigError extends Error {}

export async function loadConfig(fetchImpl: typeof fetch = fetch, url = '/config.json'): Promise<PortalConfig> {
  let data: unknown;
  try {
    const response = await fetchImpl(url, { cache: 'no-store', credentials: 'same-origin' });
    if (!response.ok) throw new ConfigError(`config.json: HTTP ${response.status}`);
    data = await response.json();
  } catch (e) {
    throw e instanceof ConfigError ? e : new ConfigError('config.json could not be loaded');
  }
  const c = data as Partial<PortalConfig> | null;
  if (
    !c ||
    typeof c.apiBase !== 'string' ||
    !c.cognito ||
    typeof c.cognito.endpoint !== 'string' ||
    typeof c.cognito.clientId !== 'string'
  ) {
    throw new ConfigError('config.json is missing apiBase or cognito settings');
  }
  return {
    apiBase: c.apiBase,
    cognito: {
      endpoint: c.cognito.endpoint,
      region: c.cognito.region ?? '',
      clientId: c.cognito.clientId,
      userPoolId: c.cognito.userPoolId ?? '',
    },
    stage: typeof c.stage === 'string' ? c.stage : 'unknown',
  };
}
