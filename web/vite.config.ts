import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { lingui } from '@lingui/vite-plugin';
import preact from '@preact/preset-vite';
import type { Plugin } from 'vite';
import areas from './build/areas.json';
import { linguiAreas } from './build/linguiAreas.ts';
import { defineConfig } from 'vitest/config';

/**
 * Writes dist/sw.js: the service worker (sw/sw.js) with the app shell's files (index.html, the hashed
 * JS/CSS it loads and the core message catalogs) in front. Its bytes change with every build that changes
 * the app, which is how browsers notice a new version and the page offers to reload.
 */
function serviceWorker(): Plugin {
  let outDir = 'dist';
  let root = '.';
  return {
    name: 'portal-service-worker',
    apply: 'build',
    configResolved(config) {
      root = config.root;
      outDir = resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      const html = readFileSync(resolve(outDir, 'index.html'), 'utf8');
      const loaded = [...html.matchAll(/"(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
      // Each language's core messages: the app renders nothing before its language's are loaded.
      const catalogs = readdirSync(resolve(outDir, 'assets'))
        .filter((f) => /^_lingui-catalog_\w+_core-.*\.js$/.test(f))
        .map((f) => `/assets/${f}`);
      const assets = [...new Set([...loaded, ...catalogs])].sort();
      const shell = ['/index.html', ...assets];
      const source = readFileSync(resolve(root, 'sw/sw.js'), 'utf8');
      const version = createHash('sha256').update(html).update(source).digest('hex').slice(0, 12);
      const head = `self.__SHELL__ = ${JSON.stringify(shell)};\nself.__VERSION__ = ${JSON.stringify(version)};\n`;
      writeFileSync(resolve(outDir, 'sw.js'), head + source);
    },
  };
}

// The backend serves web/dist and answers /api and /config.json; in `npm run dev` we proxy to it.
const backend = process.env.PORTAL_BACKEND ?? 'http://localhost:8000';

export default defineConfig({
  plugins: [
    // Lingui's macros (t`…`, <Trans>) are compiled away by its Babel plugin; the Vite plugin turns a .po
    // catalog into a JS module (the tests load whole catalogs this way).
    preact({ prerender: { enabled: false }, babel: { plugins: ['@lingui/babel-plugin-lingui-macro'] } }),
    lingui(),
    // Each lazy area's messages ship with it (lazyArea's `messages` option names the area).
    // The areas (name -> entry module) are in build/areas.json, which `npm run size` reads too.
    linguiAreas({ areas }),
    serviceWorker(),
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
      '/manifest.webmanifest': backend,
      '/offline.html': backend,
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
