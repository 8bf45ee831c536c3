/**
 * The sidecar's version. A constant, not read from package.json at run time, so the bundled sidecar
 * of an installed module (which carries no package.json of the project) reports it too;
 * test/version.test.ts keeps it equal to package.json and the module manifest.
 */
export const VERSION = '0.1.0';
