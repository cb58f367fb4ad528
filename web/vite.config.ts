import { lingui } from '@lingui/vite-plugin';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vitest/config';

// The backend serves web/dist and answers /api and /config.json; in `npm run dev` we proxy to it.
const backend = process.env.PORTAL_BACKEND ?? 'http://localhost:8000';

export default defineConfig({
  plugins: [
    // Lingui's macros (t`…`, <Trans>) are compiled away by its Babel plugin; the Vite plugin turns a .po
    // catalog into a small JS module, so each language is its own chunk loaded on demand.
    preact({ prerender: { enabled: false }, babel: { plugins: ['@lingui/babel-plugin-lingui-macro'] } }),
    lingui(),
  ],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
  server: {
    proxy: {
      '/api': backend,
      '/config.json': backend,
    },
  },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
    restoreMocks: true,
    setupFiles: ['src/shared/test/setup-i18n.ts'],
    // Bundled through Vite so its `react` import is aliased to preact/compat, as in the app.
    server: { deps: { inline: ['@lingui/react'] } },
  },
});
