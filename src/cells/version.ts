/** Carryover's version, recorded in every report and summary. Keep in step with package.json. */
export const carryoverVersion = "0.1.0";

/** Format of reports and summary.json; readers reject other versions with a clear message. */
export const reportFormatVersion = 1;
