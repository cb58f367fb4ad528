// A .po catalog, compiled by @lingui/vite-plugin into a module exporting its messages.
declare module '*.po' {
  import type { Messages } from '@lingui/core';
  export const messages: Messages;
}
