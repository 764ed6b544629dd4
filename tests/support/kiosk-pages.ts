import type { Page } from 'playwright-core';
import type { ApiClient } from './station.ts';

/** Pairs a new kiosk device of this mode and opens it in the page, waiting until it is online. */
export async function openPairedKiosk(page: Page, api: ApiClient, mode: 'checkin' | 'counter', name: string): Promise<Page> {
  const created = await api.post('/api/devices', { name, mode });
  if (created.status !== 201) throw new Error(`device create failed: ${JSON.stringify(created.body)}`);
  await page.goto(`${api.baseUrl}/kiosk/?pair=${created.body.pairingCode}`);
  await page.locator('[data-testid=connection][data-status=online]').waitFor();
  return page;
}

/** Unlocks a counter kiosk page as a staff member would: user name, PIN on the keypad, 解锁. */
export async function unlockCounterPage(page: Page, staff: { username: string; pin: string }): Promise<void> {
  await page.locator('input[name=username]').fill(staff.username);
  for (const digit of staff.pin) await page.locator('.keypad-keys').getByRole('button', { name: digit, exact: true }).click();
  await page.getByRole('button', { name: '解锁', exact: true }).click();
  await page.locator('[data-screen=counter-scan]').waitFor();
}

/** Opens a check-in kiosk's staff settings as staff do: hold the title 3 seconds, then a staff member's user name and password. */
export async function unlockKioskSettings(page: Page, staff: { username: string; password: string }): Promise<void> {
  await page.locator('.kiosk-title').hover();
  await page.mouse.down();
  await page.waitForTimeout(3100);
  await page.mouse.up();
  const check = page.locator('[data-screen=settings-locked]');
  await check.waitFor();
  await check.locator('input[name=username]').fill(staff.username);
  await check.getByRole('button', { name: '改用密码' }).click();
  await check.locator('input[name=password]').fill(staff.password);
  await check.getByRole('button', { name: '解锁', exact: true }).click();
  await page.locator('[data-screen=settings]').waitFor();
}
