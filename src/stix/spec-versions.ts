// The STIX specification versions this server serves when a read names none.

/** Only the latest version stored: TAXII 2.1 §3.4.1 makes it the default of match[spec_version]. */
export const LATEST_SPEC_VERSIONS: readonly string[] = ['2.1'];
