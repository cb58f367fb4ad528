import preact from '@preact/preset-vite';
import { defineConfig } from 'vitest/config';

// The backend serves web/dist and answers /api and /config.json; in `npm run dev` we proxy to it.
const backend = process.env.PORTAL_BACKEND ?? 'http://localhost:8000';

export default defineConfig({
  plugins: [preact({ prerender: { enabled: false } })],
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
  },
});
