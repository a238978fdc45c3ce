// What every browser test file shares: the server's address, where screenshots go, and
// Debian's Chromium started with the flags this closed network needs.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';

export const BASE = process.env.BASE_URL;
export const SHOTS = process.env.SCREENSHOT_DIR || 'screenshots';
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
assert.ok(BASE, 'BASE_URL must point at a running canhgiac server');
mkdirSync(SHOTS, { recursive: true });

export function launchChromium() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
