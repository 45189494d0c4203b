import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AEGIS_VERSION } from './aegis-version';

describe('AEGIS_VERSION', () => {
  it('is the version in the root package.json', () => {
    const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'package.json'), 'utf8')) as { version: string };
    expect(AEGIS_VERSION).toBe(manifest.version);
  });

  it('has its release section, with upgrade notes, in CHANGELOG.md (docs/operations.md "Upgrades")', () => {
    const changelog = readFileSync(join(__dirname, '..', '..', '..', '..', 'CHANGELOG.md'), 'utf8');
    const sections = changelog.split(/^## /m).slice(1);
    const release = sections.find((section) =>
      new RegExp(`^${AEGIS_VERSION.replaceAll('.', '\\.')} — \\d{4}-\\d{2}-\\d{2}\\n`).test(section),
    );
    expect(release).toBeDefined();
    expect(release).toMatch(/^### Upgrade notes$/m);
  });
});
