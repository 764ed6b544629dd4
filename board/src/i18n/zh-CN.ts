import type { BoardFeedItem } from '@protocol/board.ts';
import type { NoticeKind } from '@protocol/notices.ts';
import { snapCategoryNames } from '@protocol/me.ts';

/** The source catalog: every other language must have the same keys (see Messages). */
export const zhCN = {
  htmlLang: 'zh-CN',
  locale: 'zh-CN',
  boardTitle: '志愿服务实时看板',
  connection: { online: '实时更新中', offline: '连接中断，正在重连…', loading: '正在载入…' },
  tiles: {
    onSite: '在场志愿者',
    todayHours: '今日服务时长',
    monthHours: '本月服务时长',
    volunteersToday: '今日参与',
    people: '人',
    hours: '小时',
  },
  activities: {
    title: '进行中的活动',
    none: '现在没有进行中的活动',
    nobodyYet: '等待志愿者签到',
    onSite: (count: number) => `在场 ${count} 人`,
    more: (count: number) => `等另外 ${count} 人`,
    since: (time: string) => `${time} 签到`,
  },
  feed: {
    title: '最新动态',
    empty: '今天还没有签到记录',
    actions: { 'check-in': '签到', 'check-out': '签退', 'auto-close': '自动签退', correction: '记录更正' } satisfies Record<BoardFeedItem['action'], string>,
  },
  teams: { title: '本月团队服务时长', empty: '本月还没有团队服务记录', members: (count: number) => `${count} 人参与` },
  honour: {
    title: '星级志愿者光荣榜',
    newStarsTitle: '本月新晋星级',
    empty: '还没有星级志愿者',
    hours: (hours: string) => `${hours} 小时`,
  },
  redemptions: {
    title: '爱心超市兑换',
    empty: '今天还没有兑换',
    points: (points: number) => `${points} 积分`,
  },
  snaps: {
    title: '随手拍',
    monthCount: (count: number) => `本月上报 ${count} 条`,
    handledTitle: '最近处置',
    empty: '还没有已处置的上报',
    handledOn: (date: string) => `${date}处置`,
    categories: snapCategoryNames['zh-CN'],
  },
  stars: (count: number) => `${count} 星`,
  celebration: {
    heading: '恭喜晋升！',
    line: (name: string, stars: number) => `${name} 成为 ${stars} 星志愿者`,
  },
  pairing: {
    title: '这台看板还没有配对',
    howTo: '请工作人员在管理后台的“设备”页面新建一台“看板”设备，在这台电视或电脑上打开页面给出的配对地址；也可以在下面输入 8 位配对码，或用工作人员账号登录管理后台后再打开本页。',
    codeLabel: '配对码',
    submit: '开始配对',
    working: '正在配对…',
    failed: '配对码不正确、已使用或已过期，请向工作人员要一个新的。',
    networkFailed: '连不上服务器，请检查网络后再试。',
    revoked: '这台看板的配对已失效，需要重新配对。',
    staffLogin: '工作人员登录',
  },
  notice: {
    heading: '志愿者星级评定公示',
    defaultTitle: (kind: NoticeKind, year: string) => (kind === 'yearStars' ? `${year}年度星级志愿者名单` : '新晋星级志愿者名单'),
    intro: (center: string, from: string, to: string) =>
      `根据《志愿服务记录与证明出具办法》及本站星级评定规则，${center}对${from}至${to}期间的志愿服务记录进行了核定，以下志愿者拟评定为相应星级，现予以公示。`,
    columns: { index: '序号', name: '姓名', team: '所属团队', hoursLifetime: '累计服务时长（小时）', hoursYear: '年度服务时长（小时）', stars: '星级' },
    period: (from: string, to: string) => `评定期间：${from} 至 ${to}`,
    noticePeriod: (from: string, to: string, days: number) => `公示期：${from} 至 ${to}（${days} 个工作日）`,
    objection: '公示期内，如对名单有异议，请以书面或当面方式实名反映，我们将及时核实处理。',
    defaultContact: (center: string) => `异议受理：${center}服务台`,
    contactLabel: '异议受理：',
    privacy: '为保护个人信息，姓名已作部分隐去处理。',
    final: (date: string) => `公示期满，名单已于 ${date} 确认。`,
    count: (count: number) => `共 ${count} 人`,
    more: (count: number) => `另有 ${count} 人，详见公示栏`,
    print: '打印',
    notFound: '没有找到这份公示，或它尚未发布。',
    boardTitle: '正在公示',
  },
  dateLong: (day: string) => {
    const [y, m, d] = day.split('-').map(Number) as [number, number, number];
    return `${y}年${m}月${d}日`;
  },
};

export type Messages = typeof zhCN;
