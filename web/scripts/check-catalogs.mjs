// Fails when a message in the source is missing from a catalog, has no Spanish translation, or when a
// catalog still holds messages the source no longer uses. Fix with `npm run extract`, then translate
// the empty msgstr entries in src/locales/es/messages.po.
import { getCatalogs } from '@lingui/cli/api';
import { getConfig } from '@lingui/conf';
import { compileMessage } from '@lingui/message-utils/compileMessage';

const config = getConfig({ cwd: process.cwd() });
const problems = [];
for (const catalog of await getCatalogs(config)) {
  const source = (await catalog.collect()) ?? {};
  for (const locale of config.locales) {
    const stored = (await catalog.read(locale)) ?? {};
    for (const [id, message] of Object.entries(source)) {
      const entry = stored[id];
      const text = message.message ?? id;
      if (!entry) {
        problems.push(`${locale}: not in the catalog (run npm run extract): ${JSON.stringify(text)}`);
      } else if (locale !== config.sourceLocale && !entry.translation) {
        problems.push(`${locale}: no translation: ${JSON.stringify(text)}`);
      } else if (entry.translation) {
        try {
          compileMessage(entry.translation);
        } catch (error) {
          problems.push(`${locale}: not valid ICU (${error.message}): ${JSON.stringify(entry.translation)}`);
        }
      }
    }
    for (const [id, entry] of Object.entries(stored)) {
      if (!(id in source) && !entry.obsolete) {
        problems.push(`${locale}: no longer in the source (run npm run extract): ${JSON.stringify(entry.message ?? id)}`);
      }
    }
  }
}
if (problems.length > 0) {
  console.error(`Translation catalogs are out of date (${problems.length}):\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log('Translation catalogs: every message has English and Spanish text.');
