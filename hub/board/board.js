// The district hall board: today's figures per center and who is serving now across centers
// (masked names only), kept live by the hub's /district-board Socket.IO namespace. Any hub
// process serves it: events from the others arrive through the PostgreSQL adapter.
import { catalogs } from './i18n.js';

const params = new URLSearchParams(location.search);
let language = params.get('lang') ?? localStorage.getItem('district-board-lang') ?? 'zh-CN';
if (!catalogs[language]) language = 'zh-CN';
const t = (key) => catalogs[language][key] ?? key;
const $ = (id) => document.getElementById(id);

let timeZone = 'Asia/Shanghai';
/** attendanceId → {centerName, displayName, activityTitle, checkInAt}: open sign-ins. */
const serving = new Map();
let centers = [];
let connectionState = 'connecting';

function applyLanguage() {
  document.documentElement.lang = language;
  document.title = t('title');
  for (const element of document.querySelectorAll('[data-text]')) element.textContent = t(element.dataset.text);
  $('language').textContent = t('language');
  showConnection(connectionState);
  renderServing();
}

function showConnection(state) {
  connectionState = state;
  $('connection').dataset.state = state;
  $('connection').textContent = t(state);
}

function timeOf(iso) {
  return new Intl.DateTimeFormat('zh-CN', { timeZone, hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(iso));
}

function tick() {
  $('clock').textContent = new Intl.DateTimeFormat(language, { timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(new Date());
}

function renderCenters(flashId) {
  const body = $('centers');
  body.replaceChildren(...centers.map((center) => {
    const row = document.createElement('tr');
    row.dataset.centerId = center.centerId;
    if (center.centerId === flashId) row.className = 'flash';
    for (const value of [center.name, center.onSite, center.attendance, center.people, center.hours]) {
      const cell = document.createElement('td');
      cell.textContent = String(value);
      row.append(cell);
    }
    return row;
  }));
  const sum = (key) => centers.reduce((total, center) => total + center[key], 0);
  $('total-onsite').textContent = String(sum('onSite'));
  $('total-attendance').textContent = String(sum('attendance'));
  $('total-people').textContent = String(sum('people'));
  $('total-hours').textContent = String(Math.round(sum('hours') * 100) / 100);
}

function renderServing(newId) {
  const items = [...serving.entries()].sort((a, b) => b[1].checkInAt.localeCompare(a[1].checkInAt)).slice(0, 40);
  $('serving').replaceChildren(...items.map(([id, person]) => {
    const item = document.createElement('li');
    item.dataset.attendanceId = id;
    if (id === newId) item.className = 'new';
    const name = document.createElement('span');
    name.className = 'name';
    name.textContent = person.displayName;
    const where = document.createElement('span');
    where.className = 'where';
    where.textContent = person.activityTitle ? `${person.centerName} · ${person.activityTitle}` : person.centerName;
    const since = document.createElement('span');
    since.className = 'since';
    since.textContent = `${t('since')} ${timeOf(person.checkInAt)}`;
    item.append(name, where, since);
    return item;
  }));
  $('serving-empty').hidden = items.length > 0;
}

async function getJson(path) {
  const response = await fetch(path, { credentials: 'same-origin' });
  if (response.status === 401) throw Object.assign(new Error('unauthenticated'), { status: 401 });
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.json();
}

async function refreshToday(flashId) {
  const today = await getJson('/api/district/board/today');
  timeZone = today.timeZone;
  centers = today.centers;
  renderCenters(flashId);
}

async function refreshServing() {
  const { serving: rows } = await getJson('/api/district/board');
  serving.clear();
  for (const row of rows) serving.set(`${row.centerId}:${row.attendanceId ?? row.volunteerId}`, row);
  renderServing();
}

/** Figures refetched at most every half second, however many events a batch brings. */
let pending;
function refreshSoon(flashId) {
  clearTimeout(pending);
  pending = setTimeout(() => refreshToday(flashId).catch(() => undefined), 500);
}

function connect() {
  const socket = io('/district-board', { transports: ['websocket', 'polling'], withCredentials: true });
  socket.on('connect', () => {
    showConnection('live');
    // Whatever happened while disconnected: read it all afresh.
    Promise.all([refreshToday(), refreshServing()]).catch(() => undefined);
  });
  socket.on('disconnect', () => showConnection('offline'));
  socket.on('connect_error', (error) => {
    showConnection('offline');
    if (error.message === 'UNAUTHENTICATED') {
      socket.close();
      showLogin();
    }
  });
  socket.on('district:attendance', (event) => {
    const key = `${event.centerId}:${event.attendanceId ?? event.volunteerId}`;
    if (event.action === 'check-in') serving.set(key, { centerId: event.centerId, centerName: event.centerName, displayName: event.displayName, activityTitle: event.activityTitle ?? null, checkInAt: event.at });
    else serving.delete(key);
    renderServing(event.action === 'check-in' ? key : undefined);
    refreshSoon(event.centerId);
  });
  socket.on('district:changed', () => refreshSoon());
}

function showLogin() {
  $('board').hidden = true;
  $('login').hidden = false;
  $('password').focus();
}

$('login').addEventListener('submit', async (event) => {
  event.preventDefault();
  $('login-error').textContent = '';
  const response = await fetch('/api/district/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ password: $('password').value }), credentials: 'same-origin' });
  if (!response.ok) {
    $('login-error').textContent = response.status === 401 ? t('wrongPassword') : t('loginFailed');
    return;
  }
  $('password').value = '';
  start();
});

$('language').addEventListener('click', () => {
  language = language === 'zh-CN' ? 'en' : 'zh-CN';
  localStorage.setItem('district-board-lang', language);
  applyLanguage();
  tick();
});

async function start() {
  try {
    await Promise.all([refreshToday(), refreshServing()]);
  } catch (error) {
    if (error.status === 401) return showLogin();
    throw error;
  }
  $('login').hidden = true;
  $('board').hidden = false;
  connect();
}

applyLanguage();
tick();
setInterval(tick, 10_000);
start();
