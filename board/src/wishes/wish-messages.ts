import { useMessages } from '../i18n/index.ts';

/** The wish wall's words (issue 13), kept beside it rather than in the shared catalogs. */
const zhCN = {
  title: '心愿墙',
  subtitle: '居民的求助，等您来帮',
  open: '等待帮助',
  inProgress: '正在帮助',
  accepted: '刚刚接单',
  noOpen: '现在没有等待中的求助。',
  noneAccepted: '还没有新接的求助。',
  monthCompleted: '本月完成服务',
  monthPeople: '本月服务居民',
  monthHours: '本月服务时长',
  times: '次',
  people: '人',
  hours: '小时',
  anonymous: '居民',
  statuses: { open: '待派单', dispatched: '已派单', accepted: '已接单', done: '已完成', rated: '已评价', cancelled: '已取消' } as Record<string, string>,
  byCategory: (open: number, inProgress: number) => `待帮 ${open} · 进行 ${inProgress}`,
  howToHelp: '志愿者刷卡后点“我的任务”即可接单',
};

export type WishMessages = typeof zhCN;

const en: WishMessages = {
  title: 'Wish wall',
  subtitle: 'Neighbours asking for help',
  open: 'Waiting for help',
  inProgress: 'Being helped',
  accepted: 'Just taken',
  noOpen: 'No requests waiting now.',
  noneAccepted: 'Nothing taken yet.',
  monthCompleted: 'Services this month',
  monthPeople: 'Residents served this month',
  monthHours: 'Service hours this month',
  times: '',
  people: '',
  hours: 'h',
  anonymous: 'A resident',
  statuses: { open: 'Open', dispatched: 'Sent to volunteers', accepted: 'Taken', done: 'Done', rated: 'Rated', cancelled: 'Cancelled' },
  byCategory: (open: number, inProgress: number) => `${open} waiting · ${inProgress} in progress`,
  howToHelp: 'Volunteers: scan your card and tap “My tasks” to take one',
};

export function useWishMessages(): WishMessages {
  return useMessages().htmlLang === 'en' ? en : zhCN;
}
