import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AEGIS_VERSION } from './aegis-version';

describe('AEGIS_VERSION', () => {
  it('is the version in the root package.json', () => {
    const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'package.json'), 'utf8')) as { version: string };
    expect(AEGIS_VERSION).toBe(manifest.version);
  });
});
