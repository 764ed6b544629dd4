import { useMessages } from '../i18n/index.ts';

/** The kiosk's words for tasks and asking for help (issue 13). Large, plain, full-width punctuation. */
const zhCN = {
  myTasks: '我的任务',
  waitingTasks: (count: number) => `您有 ${count} 个任务等待接单`,
  openTasks: (count: number) => `还有 ${count} 个求助可以认领`,
  noTasks: '现在没有等您接的任务。',
  accept: '接单',
  accepted: '已接单',
  acceptQueued: '已保存，联网后自动接单',
  decline: '不方便',
  declineReason: '不方便的原因',
  declineReasons: ['时间不合适', '身体不方便', '距离太远', '其他'],
  dispatchedToYou: '派给您的',
  openToTake: '可以认领',
  back: '返回',
  wanted: '希望时间',
  askHelp: '我要求助',
  helpTitle: '需要什么帮助？',
  helpWords: '说几句（可不填）',
  helpPhone: '您的手机号',
  helpPlace: '在哪里（小区、楼号）',
  helpName: '怎么称呼您（可不填）',
  send: '提交求助',
  sentTitle: '求助已收到',
  sentNumber: (number: string) => `您的求助单号：${number}`,
  sentHint: '工作人员会尽快打电话联系您。',
  offline: '现在连不上服务器，请稍后再试，或到前台登记。',
  phoneInvalid: '请输入 11 位手机号',
  categories: ['陪伴聊天', '代买代办', '家政保洁', '维修', '陪同就医', '助餐', '学业辅导', '其他'],
};

export type KioskServiceMessages = typeof zhCN;

const en: KioskServiceMessages = {
  myTasks: 'My tasks',
  waitingTasks: (count: number) => `${count} task${count === 1 ? '' : 's'} waiting for you`,
  openTasks: (count: number) => `${count} more request${count === 1 ? '' : 's'} you could take`,
  noTasks: 'No tasks waiting for you now.',
  accept: 'Accept',
  accepted: 'Accepted',
  acceptQueued: 'Saved; it will be sent when the connection is back',
  decline: 'Can’t do it',
  declineReason: 'Why not?',
  declineReasons: ['Bad time', 'Not feeling well', 'Too far', 'Other'],
  dispatchedToYou: 'Sent to you',
  openToTake: 'Open to take',
  back: 'Back',
  wanted: 'Wanted at',
  askHelp: 'I need help',
  helpTitle: 'What do you need help with?',
  helpWords: 'A few words (optional)',
  helpPhone: 'Your mobile number',
  helpPlace: 'Where (estate, building)',
  helpName: 'Your name (optional)',
  send: 'Send',
  sentTitle: 'Request received',
  sentNumber: (number: string) => `Your request number: ${number}`,
  sentHint: 'The staff will call you back soon.',
  offline: 'The server cannot be reached. Please try later or ask at the front desk.',
  phoneInvalid: 'Please enter an 11-digit mobile number',
  categories: ['Company', 'Errands', 'Housework', 'Repairs', 'Doctor visit', 'Meals', 'Homework help', 'Other'],
};

/** Categories are stored in Chinese (the center's records); English only labels the buttons. */
export const categoryValues = zhCN.categories;

export function useServiceMessages(): KioskServiceMessages {
  return useMessages().htmlLang === 'en' ? en : zhCN;
}
