/** secretwatch's version: `--version`, and the product version in OCSF output. */
export const VERSION = '0.1.0';
