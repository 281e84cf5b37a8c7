// The browser tests fail, never skip, when Chromium is not where Debian installs it.
import { describe, expect, it } from 'vitest';
import { launchChromium } from './browser.js';

describe('launchChromium', () => {
  it('refuses with an install hint when the executable is missing', async () => {
    await expect(launchChromium('/nonexistent/chromium')).rejects.toThrow(
      /\/nonexistent\/chromium is missing: install Debian's chromium/,
    );
  });
});
