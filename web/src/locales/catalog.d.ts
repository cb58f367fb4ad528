// A .po catalog, compiled by @lingui/vite-plugin into a module exporting its messages.
declare module '*.po' {
  import type { Messages } from '@lingui/core';
  export const messages: Messages;
}

// The compiled catalogs, split at build time into the shell's messages and each lazy area's (build/linguiAreas.ts).
declare module 'virtual:lingui-catalogs' {
  import type { Messages } from '@lingui/core';
  type Loader = () => Promise<{ messages: Messages }>;
  export const core: Record<'en' | 'es', Loader>;
  export const areas: Record<string, Record<'en' | 'es', Loader>>;
}
