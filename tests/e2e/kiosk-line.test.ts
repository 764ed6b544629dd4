import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { explainFailure, fakeCameraArgs, hasFfmpeg, launchChromium, makeCardVideo, noChromiumMessage, saveScreenshot, skipWithoutChromium, typeLikeScanner, watchKiosk } from '../support/browser.ts';
import { layoutProblems } from '../support/layout.ts';
import { adminClient, openActivityNow, registerVolunteer, startStation, type ApiClient, type TestStation } from '../support/station.ts';

if (skipWithoutChromium) console.log(noChromiumMessage);

type Volunteer = { id: string; cardNo: string; cardCode: string };

/**
 * A line of volunteers at an activity's start, at the common 1024×768 tablet: nobody waits for
 * the previous person's result screen to time out, and staff things need a staff member.
 */
describe.skipIf(skipWithoutChromium)('the kiosk with a line in front of it', () => {
  let station: TestStation;
  let api: ApiClient;
  let browser: Browser;
  let page: Page;
  let workDir: string;
  const line: Volunteer[] = [];
  const cameraLine: Volunteer[] = [];

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(os.tmpdir(), 'vs-kiosk-line-'));
    station = await startStation();
    api = await adminClient(station);
    await openActivityNow(api, '社区清洁');
    const staff = await api.post('/api/staff', { username: 'wangfang', displayName: '王芳', role: 'staff', password: 'staff-pass-1' });
    expect(staff.status).toBe(201);
    expect((await api.patch(`/api/staff/${staff.body.id}`, { pin: '2468' })).status).toBe(200);
    const counterStaff = await api.post('/api/staff', { username: 'lihua', displayName: '李华', role: 'counter', password: 'counter-pass-1' });
    expect(counterStaff.status).toBe(201);
    let phone = 13900139001;
    for (const name of ['张三明', '李四芳', '王五华']) line.push(await registerVolunteer(api, name, String(phone++)));
    for (const name of ['赵六强', '钱七红', '孙八英']) cameraLine.push(await registerVolunteer(api, name, String(phone++)));
    // No camera here: the wedge scanner is what this browser tests, and a decoder busy on a fake
    // picture would only compete with it for the one thread.
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
    const created = await api.post('/api/devices', { name: '大厅签到机', mode: 'checkin' });
    await page.goto(`${station.url}/kiosk/?pair=${created.body.pairingCode}`);
    await page.locator('[data-testid=connection][data-status=online]').waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await station?.destroy();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  const openAttendance = async (volunteer: Volunteer) =>
    ((await api.get(`/api/volunteers/${volunteer.id}/attendance`)).body.items as { checkOutAt?: string }[]).filter((a) => !a.checkOutAt).length;
  const wedgeScan = (code: string) => typeLikeScanner(page, code);
  const resultFor = (name: string, title: string) => page.locator('[data-screen=result]', { hasText: name }).filter({ hasText: title });

  test('three cards in quick succession: each replaces the result at once and each is signed in; the same card again is a repeat', async () => {
    for (const [volunteer, masked] of [
      [line[0]!, '张*明'],
      [line[1]!, '李*芳'],
      [line[2]!, '王*华'],
    ] as const) {
      await wedgeScan(volunteer.cardCode);
      // Read while the previous result (5 s) is still up: the new one replaces it at once.
      await resultFor(masked, '签到成功').waitFor({ timeout: 4000 });
    }
    await expect(page.locator('[data-screen=result]').count()).resolves.toBe(1);
    for (const volunteer of line) expect(await openAttendance(volunteer)).toBe(1);

    await wedgeScan(line[2]!.cardCode);
    await resultFor('王*华', '您刚才已经签到了').waitFor({ timeout: 4000 });
    expect(await openAttendance(line[2]!)).toBe(1);
    await saveScreenshot(page, 'kiosk-line-repeat');
    await page.locator('[data-screen=result]').click();
    await page.locator('[data-screen=scanning]').waitFor();
  });

  test('the settings behind ⚙ need a staff member who may manage devices, checked by the server; a wrong PIN or a counter account is refused', async () => {
    const gear = page.locator('.corner-settings');
    await gear.hover();
    await page.mouse.down();
    const check = page.locator('[data-screen=settings-locked]');
    await check.waitFor({ timeout: 6000 });
    await page.mouse.up();
    // Nothing of the settings (取消配对 least of all) before the check.
    await expect(page.getByRole('button', { name: '取消配对' }).count()).resolves.toBe(0);
    expect(await layoutProblems(page)).toEqual([]);
    await saveScreenshot(page, 'kiosk-settings-locked');
    const enterPin = async (username: string, pin: string) => {
      await check.locator('input[name=username]').fill(username);
      for (const digit of pin) await check.locator('.keypad-keys').getByRole('button', { name: digit, exact: true }).click();
      await check.getByRole('button', { name: '解锁', exact: true }).click();
    };

    await enterPin('wangfang', '1357');
    await expect(check.locator('[data-testid=unlock-problem]').textContent()).resolves.toContain('账号或 PIN 不对');
    // A counter account runs the counter, not the tablets.
    await check.locator('input[name=username]').fill('lihua');
    await check.getByRole('button', { name: '改用密码' }).click();
    await check.locator('input[name=password]').fill('counter-pass-1');
    await check.getByRole('button', { name: '解锁', exact: true }).click();
    await check.locator('[data-testid=unlock-problem]', { hasText: '不能更改平板设置' }).waitFor();
    await check.getByRole('button', { name: '改用 PIN' }).click();
    await enterPin('wangfang', '2468');
    const settings = page.locator('[data-screen=settings]');
    await settings.waitFor();
    await settings.getByRole('button', { name: '取消配对' }).waitFor();
    const audit = (await api.get('/api/audit')).body.items as { actor: string; action: string }[];
    expect(audit.some((entry) => entry.actor === 'staff:wangfang' && entry.action === 'device.settings-opened')).toBe(true);
    await settings.getByRole('button', { name: '关闭' }).click();
    await page.locator('[data-screen=scanning]').waitFor();
  });

  test('a typed number that is no card says so, not “this card is not ours”', async () => {
    await page.getByRole('button', { name: '忘带卡' }).click();
    const keypad = page.locator('[data-screen=keypad]');
    for (const digit of '999999') await keypad.getByRole('button', { name: digit, exact: true }).click();
    await keypad.getByRole('button', { name: '下一步' }).click();
    for (const digit of '1234') await keypad.getByRole('button', { name: digit, exact: true }).click();
    await keypad.getByRole('button', { name: '确定' }).click();
    const result = page.locator('[data-screen=result][data-kind=problem]');
    await result.waitFor();
    await expect(result.textContent()).resolves.toContain('没有这个卡号。');
    await expect(result.textContent()).resolves.not.toContain('不是本站');
    await result.click();
    await page.locator('[data-screen=scanning]').waitFor();
  });

  test.skipIf(!hasFfmpeg)('the camera keeps reading on the result screen: three printed cards one after another are all signed in', async () => {
    const pngs: string[] = [];
    for (const [i, volunteer] of cameraLine.entries()) {
      const response = await fetch(`${station.url}/api/volunteers/${volunteer.id}/qr.png`, { headers: { cookie: api.cookie } });
      expect(response.status).toBe(200);
      const file = path.join(workDir, `card-${i}.png`);
      await writeFile(file, new Uint8Array(await response.arrayBuffer()));
      pngs.push(file);
    }
    const video = path.join(workDir, 'line.y4m');
    // 1.5 s per card: the next card arrives while the previous result (5 s) is still up.
    await makeCardVideo(pngs, video, { cardSeconds: 1.5, blankSeconds: 0.5 });
    const cameraBrowser = await launchChromium(fakeCameraArgs(video));
    try {
      const cameraPage = await cameraBrowser.newPage({ viewport: { width: 1024, height: 768 } });
      const created = await api.post('/api/devices', { name: '摄像头签到机', mode: 'checkin' });
      await cameraPage.goto(`${station.url}/kiosk/?pair=${created.body.pairingCode}`);
      await cameraPage.locator('[data-testid=connection][data-status=online]').waitFor();
      // What the screen showed, in order: each result's name, and "-" whenever no result was up.
      await cameraPage.evaluate(() => {
        const shown: string[] = [];
        (window as unknown as { shown: string[] }).shown = shown;
        const record = () => {
          const name = document.querySelector('[data-screen=result] .result-name')?.textContent ?? '-';
          if (shown.at(-1) !== name) shown.push(name);
        };
        new MutationObserver(record).observe(document.body, { childList: true, subtree: true, characterData: true });
      });
      const explain = await watchKiosk(cameraPage, 'kiosk-line-camera');
      await explainFailure(() => expect.poll(async () => (await Promise.all(cameraLine.map(openAttendance))).every((n) => n === 1), { timeout: 30_000, interval: 250 }).toBe(true), explain);
      const shown = await cameraPage.evaluate(() => (window as unknown as { shown: string[] }).shown);
      // Cards come 2 s apart and a result stays 5 s: read on the result screen, the three
      // follow one another with no return to the scanning screen between them.
      const names = ['赵*强', '钱*红', '孙*英'];
      const runs = shown.join(',').split('-').map((run) => run.split(',').filter(Boolean));
      expect(runs.some((run) => names.every((name) => run.includes(name))), `shown: ${shown.join(' → ')}`).toBe(true);

      // The tablet is turned upright while the camera runs: it keeps reading the whole picture
      // (it used to scan only a corner of it after any change of the camera box, and read nothing).
      await cameraPage.evaluate(() => (window as unknown as { shown: string[] }).shown.splice(0));
      await cameraPage.setViewportSize({ width: 768, height: 1024 });
      const shownAfterTurn = () => cameraPage.evaluate(() => (window as unknown as { shown: string[] }).shown);
      await explainFailure(async () => {
        await expect.poll(async () => {
          const seen = await shownAfterTurn();
          return names.every((name) => seen.includes(name));
        }, { timeout: 30_000, interval: 250 }).toBe(true);
      }, explain);
    } finally {
      await cameraBrowser.close();
    }
  }, 150_000);
});
