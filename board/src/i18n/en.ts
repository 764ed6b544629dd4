import { snapCategoryNames } from '@protocol/me.ts';
import type { Messages } from './zh-CN.ts';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

export const en: Messages = {
  htmlLang: 'en',
  locale: 'en-GB',
  boardTitle: 'Volunteer service — live',
  connection: { online: 'Live', offline: 'Connection lost, reconnecting…', loading: 'Loading…' },
  tiles: {
    onSite: 'On site now',
    todayHours: 'Hours served today',
    monthHours: 'Hours this month',
    volunteersToday: 'Volunteers today',
    people: '',
    hours: 'h',
  },
  activities: {
    title: 'Activities now',
    none: 'No activity is running right now',
    nobodyYet: 'Waiting for the first sign-in',
    onSite: (count) => `${count} on site`,
    more: (count) => `and ${count} more`,
    since: (time) => `since ${time}`,
  },
  feed: {
    title: 'Latest',
    empty: 'No sign-ins yet today',
    actions: { 'check-in': 'signed in', 'check-out': 'signed out', 'auto-close': 'signed out (auto)', correction: 'record corrected' },
  },
  teams: { title: 'Team hours this month', empty: 'No team hours this month yet', members: (count) => `${count} volunteer${count === 1 ? '' : 's'}` },
  honour: {
    title: 'Star volunteers',
    newStarsTitle: 'New stars this month',
    empty: 'No star volunteers yet',
    hours: (hours) => `${hours} h`,
  },
  redemptions: {
    title: 'Charity shop redemptions',
    empty: 'No redemptions yet today',
    points: (points) => `${points} pts`,
  },
  snaps: {
    title: 'Snap & report',
    monthCount: (count) => `${count} reported this month`,
    handledTitle: 'Recently handled',
    empty: 'No handled reports yet',
    handledOn: (date) => `handled ${date}`,
    categories: snapCategoryNames.en,
  },
  stars: (count) => `${count} star${count === 1 ? '' : 's'}`,
  celebration: {
    heading: 'Congratulations!',
    line: (name, stars) => `${name} is now a ${stars}-star volunteer`,
  },
  pairing: {
    title: 'This board is not paired yet',
    howTo: 'Staff: on the admin “Devices” page, add a device of kind “board” and open the pairing address it shows on this screen, or type the 8-digit pairing code below. Signing in to the admin first and then opening this page also works.',
    codeLabel: 'Pairing code',
    submit: 'Pair',
    working: 'Pairing…',
    failed: 'This pairing code is wrong, used or expired. Ask the staff for a new one.',
    networkFailed: 'Cannot reach the server. Check the network and try again.',
    revoked: 'This board’s pairing is no longer valid. It needs to be paired again.',
    staffLogin: 'Staff sign-in',
  },
  notice: {
    heading: 'Public notice of volunteer star ratings',
    defaultTitle: (kind, year) => (kind === 'yearStars' ? `Star volunteers of ${year}` : 'Volunteers who reached a new star'),
    intro: (center, from, to) =>
      `${center} has verified the volunteer service records from ${from} to ${to}. The volunteers below are proposed for the star ratings shown and are hereby announced for public notice.`,
    columns: { index: 'No.', name: 'Name', team: 'Team', hoursLifetime: 'Hours (total)', hoursYear: 'Hours (year)', stars: 'Stars' },
    period: (from, to) => `Service period: ${from} to ${to}`,
    noticePeriod: (from, to, days) => `Notice period: ${from} to ${to} (${days} working days)`,
    objection: 'Objections during the notice period may be raised in writing or in person, with your name; we will look into each one promptly.',
    defaultContact: (center) => `Objections: the front desk of ${center}`,
    contactLabel: 'Objections: ',
    privacy: 'Names are partly hidden to protect personal information.',
    final: (date) => `The notice period is over; the list was confirmed on ${date}.`,
    count: (count) => `${count} volunteer${count === 1 ? '' : 's'}`,
    more: (count) => `and ${count} more on the notice board`,
    print: 'Print',
    notFound: 'This notice does not exist or has not been published.',
    boardTitle: 'Public notice',
  },
  dateLong: (day) => {
    const [y, m, d] = day.split('-').map(Number) as [number, number, number];
    return `${d} ${MONTHS[m - 1]} ${y}`;
  },
};
