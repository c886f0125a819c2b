import { existsSync } from 'node:fs';

/** Debian's Chromium, installed by .ci/run (npm cannot download browsers here). */
export const CHROMIUM = '/usr/bin/chromium';

// Without these, Chromium reaches for Google's servers, which this network refuses.
export const CHROMIUM_FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Whether a browser test can run: outside CI a missing Chromium skips it; in CI it is an error. */
export function chromiumAvailable(): boolean {
  const available = existsSync(CHROMIUM);
  if (!available && process.env.CI) throw new Error(`${CHROMIUM} is missing: .ci/run installs the Debian package chromium`);
  return available;
}
