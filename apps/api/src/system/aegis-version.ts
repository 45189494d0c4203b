/** Aegis's version, as in the root package.json (aegis-version.spec.ts keeps the two equal; a bundled server has no package.json beside it). */
export const AEGIS_VERSION = '0.1.0';
