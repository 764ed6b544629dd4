import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchChromium, fakeCameraArgs, noChromiumMessage, saveDocsScreenshot, skipWithoutChromium, typeLikeScanner } from '../support/browser.ts';
import { adminClient, registerVolunteer, startStation, type ApiClient, type TestStation } from '../support/station.ts';
import { buildAppsForTest } from '../support/build-apps.ts';

if (skipWithoutChromium) console.log(noChromiumMessage);

/** Kiosks on a stand stand upright as often as not. */
const PORTRAIT = { width: 800, height: 1280 };

interface Volunteer {
  id: string;
  cardNo: string;
  cardCode: string;
}

interface RequestView {
  status: string;
  assignments: { volunteerId: string; status: string }[];
  history: { status: string; note?: string }[];
}

/**
 * 我的任务 when nothing is open to sign in to, and a task accepted through the kiosk's offline
 * queue (issue 13), in Debian's Chromium against a real server. No activity is open in this
 * station at any point: the tasks are reached from the home screen or from a refused sign-in.
 */
describe.skipIf(skipWithoutChromium)('my tasks at the kiosk with no open activity', () => {
  let station: TestStation;
  let api: ApiClient;
  let browser: Browser;
  let page: Page;
  const people: Record<'home' | 'refused' | 'offline' | 'lostAck', Volunteer> = {} as never;
  const requests: Record<keyof typeof people, { id: string; number: string }> = {} as never;

  beforeAll(async () => {
    buildAppsForTest(['kiosk']);
    station = await startStation();
    api = await adminClient(station);
    const names = { home: '郑海燕', refused: '冯建国', offline: '陈玉兰', lostAck: '褚卫东' };
    let phone = 13900139001;
    for (const [key, name] of Object.entries(names) as [keyof typeof names, string][]) {
      people[key] = await registerVolunteer(api, name, String(phone++));
      const created = await api.post('/api/service-requests', { category: '代买代办', details: `${name}的任务：帮忙买菜`, phone: '13712340000' });
      expect(created.status).toBe(201);
      expect((await api.post(`/api/service-requests/${created.body.id}/dispatch`, { volunteerIds: [people[key].id] })).status).toBe(200);
      requests[key] = created.body;
    }
    browser = await launchChromium(fakeCameraArgs());
    page = await browser.newPage({ viewport: PORTRAIT });
    // Loses the ack of a task acceptance on demand, as a Wi-Fi drop would: the message is
    // swallowed and the socket closed, so the kiosk must send it again after reconnecting.
    await page.addInitScript(() => {
      const Native = window.WebSocket;
      const flags = window as unknown as { dropAcceptAck?: boolean; droppedAcks?: number };
      window.WebSocket = class extends Native {
        constructor(url: string | URL, protocols?: string | string[]) {
          super(url, protocols);
          this.addEventListener('message', (event) => {
            if (flags.dropAcceptAck && typeof event.data === 'string' && event.data.startsWith('43/kiosk,') && event.data.includes('"opId"') && event.data.includes('"status":"accepted"')) {
              event.stopImmediatePropagation();
              flags.dropAcceptAck = false;
              flags.droppedAcks = (flags.droppedAcks ?? 0) + 1;
              this.close();
            }
          });
        }
      };
    });
  });

  afterAll(async () => {
    await browser?.close();
    await station?.destroy();
  });

  const requestView = async (key: keyof typeof people): Promise<RequestView> => (await api.get(`/api/service-requests/${requests[key].id}`)).body;
  const acceptSteps = (view: RequestView) => view.history.filter((step) => step.status === 'accepted').length;
  const tasks = () => page.locator('[data-screen=tasks]');
  const taskCard = (key: keyof typeof people) => tasks().locator(`[data-task="${requests[key].number}"]`);
  const backHome = async () => {
    await tasks().getByRole('button', { name: '返回' }).click();
    await page.locator('[data-screen=scanning]').waitFor();
  };
  const openTasksByCard = async (key: keyof typeof people) => {
    await page.locator('[data-action=tasks-home]').click();
    await page.locator('.record-prompt', { hasText: '查看派给您的任务' }).waitFor();
    await typeLikeScanner(page, people[key].cardCode);
    await taskCard(key).waitFor();
  };

  test('with nothing open, 我的任务 on the home screen and a card show the volunteer’s tasks, and one tap accepts', async () => {
    const created = await api.post('/api/devices', { name: '大厅自助机', mode: 'checkin' });
    await page.goto(`${station.url}/kiosk/?pair=${created.body.pairingCode}`);
    await page.locator('[data-testid=connection][data-status=online]').waitFor();
    await page.locator('[data-testid=activity].activity-none').waitFor();
    const button = page.locator('[data-action=tasks-home]');
    await expect(button.textContent()).resolves.toBe('我的任务');
    // Large and wholly on the portrait screen.
    const box = await button.boundingBox();
    expect(box).not.toBeNull();
    expect(box!.height).toBeGreaterThanOrEqual(100);
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(PORTRAIT.width);
    expect(box!.y + box!.height).toBeLessThanOrEqual(PORTRAIT.height);
    await saveDocsScreenshot(page, 'kiosk-tasks-home-800x1280');

    await page.locator('[data-action=tasks-home]').click();
    await page.locator('.record-prompt', { hasText: '查看派给您的任务' }).waitFor();
    await saveDocsScreenshot(page, 'kiosk-tasks-waiting-card-800x1280');
    await typeLikeScanner(page, people.home.cardCode);
    await taskCard('home').waitFor();
    await expect(tasks().locator('h1').textContent()).resolves.toContain('郑*燕');
    await expect(taskCard('home').textContent()).resolves.toContain('派给您的');
    // Only this volunteer's task: not the ones dispatched to the others.
    expect(await tasks().locator('[data-task]').count()).toBe(1);
    await saveDocsScreenshot(page, 'kiosk-tasks-no-activity-800x1280');
    await taskCard('home').locator('[data-action=accept]').click();
    await taskCard('home').locator('[data-testid=task-accepted]').waitFor();
    const view = await requestView('home');
    expect(view.status).toBe('accepted');
    expect(view.assignments).toEqual([expect.objectContaining({ volunteerId: people.home.id, status: 'accepted' })]);
    await backHome();
  });

  test('a card scanned with nothing open is refused for sign-in but offers the waiting tasks', async () => {
    await typeLikeScanner(page, people.refused.cardCode);
    const result = page.locator('[data-screen=result][data-kind=failure]');
    await result.waitFor();
    await expect(result.textContent()).resolves.toContain('现在没有可以签到的活动');
    const taskButton = result.locator('[data-action=my-tasks]');
    await taskButton.waitFor();
    await expect(taskButton.textContent()).resolves.toContain('您有 1 个任务等待接单');
    await saveDocsScreenshot(page, 'kiosk-no-activity-tasks-800x1280');
    await taskButton.click();
    await taskCard('refused').waitFor();
    await backHome();
    // Nothing was accepted by looking.
    expect((await requestView('refused')).status).toBe('dispatched');
  });

  test('the help form takes the phone number on the big digit pad, never the tablet’s keyboard', async () => {
    await page.locator('[data-action=ask-help]').click();
    await page.locator('[data-screen=help] [data-category=陪伴聊天]').click();
    const pad = page.locator('[data-screen=help-phone]');
    await pad.waitFor();
    // No text box to focus, so no system keyboard: only the 3×4 keys.
    expect(await page.locator('input').count()).toBe(0);
    const key = (digit: string) => pad.locator('.keypad-keys').getByRole('button', { name: digit, exact: true });
    const next = pad.locator('[data-action=phone-next]');
    for (const digit of '2371234') await key(digit).click();
    await expect(pad.locator('[data-testid=help-phone]').textContent()).resolves.toBe('237 1234');
    await expect(next.isDisabled()).resolves.toBe(true);
    for (const digit of '56789') await key(digit).click();
    // An 11th digit is the last: the 12th is not taken.
    await expect(pad.locator('[data-testid=help-phone]').textContent()).resolves.toBe('237 1234 5678');
    await next.click();
    await pad.getByRole('alert').waitFor();
    await expect(pad.getByRole('alert').textContent()).resolves.toContain('11 位手机号');
    await pad.getByRole('button', { name: '清空' }).click();
    for (const digit of '13712345670') await key(digit).click();
    await pad.getByRole('button', { name: '删除' }).click();
    await key('8').click();
    await expect(pad.locator('[data-testid=help-phone]').textContent()).resolves.toBe('137 1234 5678');
    await saveDocsScreenshot(page, 'kiosk-help-phone-pad-800x1280');
    // The most common counter tablet, landscape: every key and the next button on screen.
    await page.setViewportSize({ width: 1024, height: 768 });
    for (const locator of [key('3'), key('0'), pad.getByRole('button', { name: '删除' }), next]) {
      const box = await locator.boundingBox();
      expect(box).not.toBeNull();
      expect(box!.x).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width).toBeLessThanOrEqual(1024);
      expect(box!.y + box!.height).toBeLessThanOrEqual(768);
    }
    await saveDocsScreenshot(page, 'kiosk-help-phone-pad-1024x768');
    await page.setViewportSize(PORTRAIT);
    await next.click();

    const form = page.locator('[data-screen=help-form]');
    await form.waitFor();
    await expect(form.locator('[data-testid=help-phone-line]').textContent()).resolves.toContain('137 1234 5678');
    expect(await form.locator('input[name=phone], input[type=tel]').count()).toBe(0);
    await form.locator('input[name=details]').fill('想有人陪着说说话');
    await form.locator('[data-action=send-help]').click();
    const number = ((await page.locator('[data-screen=help-sent] [data-testid=help-number]').textContent()) ?? '').replace(/^.*：/, '').trim();
    const made = (await api.get('/api/service-requests?status=open')).body.items.find((r: { number: string }) => r.number === number);
    expect(made).toMatchObject({ category: '陪伴聊天', details: '想有人陪着说说话', source: 'kiosk' });
    // Staff see it masked until revealed; its ends are the digits typed.
    expect(made.phone).toMatch(/^137.*5678$/);
    await page.locator('[data-screen=help-sent]').getByRole('button', { name: '返回' }).click();
    await page.locator('[data-screen=scanning]').waitFor();
  });

  test('an acceptance made while the server is away is queued, survives a reload, and is sent once when it is back', async () => {
    await openTasksByCard('offline');
    // The queue must outlive a reload while the server is away: the app shell has to be cached.
    const controlled = () => page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 20_000 });
    await controlled().catch(async () => {
      await backHome();
      await page.reload();
      await controlled();
      await page.locator('[data-testid=connection][data-status=online]').waitFor();
      await openTasksByCard('offline');
    });

    const { dataDir, port } = station;
    await station.stop();
    await page.locator('[data-testid=connection][data-status=offline]').waitFor({ state: 'attached' });
    await taskCard('offline').locator('[data-action=accept]').click();
    await taskCard('offline').getByText('已保存，联网后自动接单').waitFor();
    await expect(taskCard('offline').locator('[data-action=accept]').isDisabled()).resolves.toBe(true);
    await saveDocsScreenshot(page, 'kiosk-task-accept-queued-800x1280');
    const queued = () => page.evaluate(() => JSON.parse(localStorage.getItem('vs-kiosk-task-queue') ?? '[]') as { opId: string; requestId: string }[]);
    expect((await queued()).map((item) => item.requestId)).toEqual([requests.offline.id]);

    await page.reload();
    await page.locator('[data-screen=scanning]').waitFor();
    expect(await queued()).toHaveLength(1);

    station = await startStation({ dataDir, port });
    api = await adminClient(station);
    await page.locator('[data-testid=connection][data-status=online]').waitFor({ timeout: 20_000 });
    await expect.poll(async () => (await requestView('offline')).status, { timeout: 20_000 }).toBe('accepted');
    await expect.poll(queued, { timeout: 15_000 }).toEqual([]);
    // Seen again after the reload: the tablet shows it as taken.
    await openTasksByCard('offline');
    await taskCard('offline').locator('[data-testid=task-accepted]').waitFor();
    await backHome();
    const view = await requestView('offline');
    expect(view.assignments).toEqual([expect.objectContaining({ volunteerId: people.offline.id, status: 'accepted' })]);
    expect(acceptSteps(view)).toBe(1);
  }, 120_000);

  test('an acceptance whose answer was lost is sent again with the same id and counted once', async () => {
    await openTasksByCard('lostAck');
    await page.evaluate(() => ((window as unknown as { dropAcceptAck: boolean }).dropAcceptAck = true));
    await taskCard('lostAck').locator('[data-action=accept]').click();
    // The server has it, the tablet never heard so: the acceptance stays queued, and after the
    // reconnect the replay (same opId) is answered from the server's receipt, which the screen shows.
    await expect.poll(() => page.evaluate(() => (window as unknown as { droppedAcks?: number }).droppedAcks), { timeout: 15_000 }).toBe(1);
    await page.locator('[data-testid=connection][data-status=online]').waitFor({ timeout: 20_000 });
    await taskCard('lostAck').locator('[data-testid=task-accepted]').waitFor({ timeout: 20_000 });
    await expect.poll(() => page.evaluate(() => localStorage.getItem('vs-kiosk-task-queue')), { timeout: 20_000 }).toBe('[]');
    const view = await requestView('lostAck');
    expect(view.assignments).toEqual([expect.objectContaining({ volunteerId: people.lostAck.id, status: 'accepted' })]);
    expect(acceptSteps(view)).toBe(1);
  }, 90_000);
});
