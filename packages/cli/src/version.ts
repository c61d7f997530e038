import packageJson from '../package.json' with { type: 'json' };

/** `linnet --version`: the cli package's version (the bundle carries it inline). */
export const CLI_VERSION: string = packageJson.version;
