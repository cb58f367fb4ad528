// Splits each language's compiled Lingui catalog by where its messages are used, so the first load carries
// only the shell's messages (the "core" catalog) and each lazy area brings its own with its code. The .po
// files stay the single source: this only decides, at build time, which compiled messages go in which chunk.
//
// How: after Lingui's macro, code names its messages by id (`i18n._({ id: "…" })`, `<Trans id="…">`). We note
// the ids each module uses, walk the module graph from the entry (static imports stay in the same context; a
// dynamic import of an area's entry starts that area's context; other dynamic imports stay in the
// importer's), and a message goes to core if any core module uses it, else to each area that uses it.
// In `vite dev` and vitest there is no graph to split: core is the whole catalog and areas are empty.
import { resolve } from 'node:path';
import { getConfig } from '@lingui/conf';
import { createCompiledCatalog, getCatalogForFile, getCatalogs } from '@lingui/cli/api';
import type { Plugin } from 'vite';

const PUBLIC_ID = 'virtual:lingui-catalogs';
const INDEX_ID = '\0lingui-catalogs';
const PART_PREFIX = '\0lingui-catalog:'; // + locale:area ("core" for the shell)
const PLACEHOLDER = /(["'`])__LINGUI_CATALOG__(\w+)__(\w+)__\1/g;
// After the macro and JSX: `id: "…"` (object) or `id="…"` (JSX not yet compiled).
const MESSAGE_ID = /\bid\s*[:=]\s*(["'])([^"'\\\s]+)\1/g;

type Messages = Record<string, unknown>;

export function linguiAreas({ areas, entry = 'src/main.tsx' }: { areas: Record<string, string>; entry?: string }): Plugin {
  let root = '.';
  let build = false;
  let locales: string[] = [];
  const idsByModule = new Map<string, Set<string>>();
  let split: Map<string, Map<string, Messages>> | null = null; // locale -> part -> messages

  async function compiled(locale: string): Promise<Messages> {
    const config = getConfig({ cwd: root });
    const file = getCatalogForFile(`src/locales/${locale}/messages.po`, await getCatalogs(config));
    if (!file) throw new Error(`no Lingui catalog for ${locale}`);
    // The same options @lingui/vite-plugin passes, so both builds compile the same messages.
    const { messages } = await file.catalog.getTranslations(locale, {
      fallbackLocales: config.fallbackLocales!,
      sourceLocale: config.sourceLocale!,
    });
    const { source } = createCompiledCatalog(locale, messages, { namespace: 'json' });
    return (JSON.parse(source) as { messages: Messages }).messages;
  }

  return {
    name: 'lingui-areas',
    enforce: 'post',
    configResolved(config) {
      root = config.root;
      build = config.command === 'build' && !process.env.VITEST;
      locales = getConfig({ cwd: root }).locales;
    },
    resolveId(id) {
      if (id === PUBLIC_ID) return INDEX_ID;
      if (id.startsWith(PART_PREFIX)) return id;
      return null;
    },
    load(id) {
      if (id === INDEX_ID) {
        // Unsplit (dev, tests): core is the .po itself, the module the tests have already loaded.
        const source = (l: string, part: string): string =>
          !build && part === 'core' ? resolve(root, `src/locales/${l}/messages.po`) : `${PART_PREFIX}${l}:${part}`;
        const loaders = (part: string): string =>
          `{ ${locales.map((l) => `${l}: () => import(${JSON.stringify(source(l, part))})`).join(', ')} }`;
        const areaLoaders = Object.keys(areas).map((a) => `${JSON.stringify(a)}: ${loaders(a)}`);
        return `export const core = ${loaders('core')};\nexport const areas = { ${areaLoaders.join(', ')} };\n`;
      }
      if (id.startsWith(PART_PREFIX)) {
        const [locale, part] = id.slice(PART_PREFIX.length).split(':');
        if (!build) return 'export const messages = {};\n';
        return `export const messages = JSON.parse("__LINGUI_CATALOG__${locale}__${part}__");\n`;
      }
      return null;
    },
    transform(code, id) {
      if (!build || id.startsWith('\0') || id.includes('node_modules') || !/\.[jt]sx?$/.test(id.split('?')[0]!)) return null;
      const ids = new Set([...code.matchAll(MESSAGE_ID)].map((m) => m[2]!));
      if (ids.size) idsByModule.set(id.split('?')[0]!, ids);
      return null;
    },
    async renderChunk(code) {
      if (!code.includes('__LINGUI_CATALOG__')) return null;
      split ??= await splitCatalogs(this, await Promise.all(locales.map(async (l) => [l, await compiled(l)] as const)));
      return code.replace(PLACEHOLDER, (_m, _q, locale: string, part: string) => {
        const messages = split!.get(locale)?.get(part);
        if (!messages) throw new Error(`no catalog part ${locale}/${part}`);
        return JSON.stringify(JSON.stringify(messages));
      });
    },
  };

  async function splitCatalogs(
    ctx: { getModuleInfo: (id: string) => { importedIds: readonly string[]; dynamicallyImportedIds: readonly string[] } | null },
    catalogs: (readonly [string, Messages])[],
  ): Promise<Map<string, Map<string, Messages>>> {
    const areaByEntry = new Map(Object.entries(areas).map(([name, file]) => [resolve(root, file), name]));
    const contexts = new Map<string, Set<string>>(); // module -> contexts it runs in
    const queue: [string, string][] = [[resolve(root, entry), 'core']];
    while (queue.length) {
      const [id, context] = queue.pop()!;
      const seen = contexts.get(id) ?? new Set<string>();
      if (seen.has(context)) continue;
      seen.add(context);
      contexts.set(id, seen);
      const info = ctx.getModuleInfo(id);
      if (!info) continue;
      for (const next of info.importedIds) queue.push([next, context]);
      for (const next of info.dynamicallyImportedIds) queue.push([next, areaByEntry.get(next) ?? context]);
    }
    for (const [file, name] of areaByEntry) {
      if (!contexts.has(file)) throw new Error(`area "${name}": ${file} is not loaded by the app`);
    }
    const partsById = new Map<string, Set<string>>();
    for (const [module, ids] of idsByModule) {
      const parts = contexts.get(module);
      if (!parts) continue;
      for (const id of ids) {
        const set = partsById.get(id) ?? new Set<string>();
        parts.forEach((p) => set.add(p));
        partsById.set(id, set);
      }
    }
    const result = new Map<string, Map<string, Messages>>();
    for (const [locale, messages] of catalogs) {
      const parts = new Map<string, Messages>([['core', {}], ...Object.keys(areas).map((a) => [a, {}] as [string, Messages])]);
      for (const [id, message] of Object.entries(messages)) {
        const used = partsById.get(id);
        // Unused by any module we saw (or used by core): core, so nothing can ever show as a bare id.
        const targets = !used || used.has('core') ? ['core'] : [...used];
        for (const target of targets) parts.get(target)![id] = message;
      }
      result.set(locale, parts);
    }
    return result;
  }
}
