// Launch the system Chromium (Debian package) through playwright-core.
// playwright-core never downloads a browser; we point it at /usr/bin/chromium.
// Override the binary with CHROMIUM_PATH=/path/to/chromium.

import fs from 'node:fs';
import { chromium } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

// The machine has no network except package registries. Without the
// background-networking switches Chromium keeps trying to reach Google
// services and misbehaves (slow start, hangs).
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
  '--disable-domain-reliability',
  '--no-default-browser-check',
  '--metrics-recording-only',
];

/** Launch headless Chromium. playwright gives each launch a fresh temporary profile. */
export async function launch() {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: apt-get install -y chromium chromium-driver (or set CHROMIUM_PATH)`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    chromiumSandbox: false,
    args: CHROMIUM_ARGS,
    timeout: 60_000,
  });
}

/** True for URLs served by our own server (or data:/blob:/about:), false for anything off-machine. */
export function isLocal(url, base) {
  if (/^(data|blob|about):/.test(url)) return true;
  try {
    return new URL(url).origin === new URL(base).origin;
  } catch {
    return false;
  }
}
