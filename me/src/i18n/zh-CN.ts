import { snapCategoryNames } from '@protocol/me.ts';
import type { SnapStatus } from '@protocol/me.ts';

/** “我的” on a volunteer's phone: short sentences, full-width punctuation (GB/T 15834). */
export const zhCN = {
  htmlLang: 'zh-CN',
  switchLanguage: 'English',
  title: '我的',
  loading: '正在加载……',
  offline: '现在没有连上驿站的 Wi-Fi，显示的是上次的数据。',
  retry: '重试',
  noSession: {
    title: '请先在服务机上扫卡',
    steps: ['到驿站的服务机前，扫一下您的志愿者卡。', '点屏幕上的「用手机查看」。', '用手机相机或微信扫描屏幕上的二维码。'],
    linkInvalid: '这个二维码已经用过或已过期。请在服务机上重新扫卡，再点「用手机查看」。',
    wifi: '手机需要连着驿站的 Wi-Fi。',
  },
  figures: {
    hours: '累计服务',
    yearHours: '今年服务',
    points: '积分',
    stars: '星级',
    hoursUnit: (h: string) => `${h} 小时`,
    nextStar: (level: number, hours: string) => `再服务 ${hours} 小时升为 ${level} 星`,
    topStar: '已是最高星级，感谢您！',
    periodNote: '星级按今年的服务时长计算。',
  },
  snap: {
    title: '随手拍',
    intro: '看到安全隐患或环境问题，拍下来告诉驿站。经确认后奖励积分。',
    photo: '拍照或选照片',
    changePhoto: '换一张',
    category: '类别',
    place: '地点',
    placeHint: '例如：3号楼2单元楼道',
    note: '说明（可不填）',
    send: '发送',
    sending: '正在发送……',
    sent: '已发送，等待驿站确认。',
    queued: '没有网络，已存在手机上，连上 Wi-Fi 后自动发送。',
    outbox: (n: number) => `待发送 ${n} 条`,
    needPhoto: '请先拍一张照片。',
    needPlace: '请写上地点。',
    failed: '发送没有成功：',
  },
  categories: snapCategoryNames['zh-CN'],
  mySnaps: {
    title: '我的上报',
    none: '还没有上报。',
    status: { pending: '待确认', accepted: '已采纳', declined: '未采纳', handled: '已处置' } satisfies Record<SnapStatus, string>,
    points: (p: string) => `+${p} 积分`,
    reason: (r: string) => `原因：${r}`,
    resolution: (r: string) => `处置情况：${r}`,
  },
  records: {
    title: '最近的服务',
    none: '还没有服务记录。',
    ongoing: '进行中',
    hours: (h: string) => `${h} 小时`,
  },
  redemptions: {
    title: '兑换记录',
    none: '还没有兑换过。',
    points: (p: string) => `${p} 积分`,
    voided: '已作废',
  },
  signOut: '在这台手机上退出',
  signOutConfirm: '退出后需要回服务机扫卡才能再打开，确定吗？',
  errors: {
    UNAUTHENTICATED: '登录已失效，请在服务机上重新扫卡。',
    PAYLOAD_TOO_LARGE: '照片太大了，请换一张。',
    UNSUPPORTED_MEDIA_TYPE: '这不是能识别的照片，请换一张。',
    VALIDATION_FAILED: '有内容没填好，请检查。',
    RATE_LIMITED: '操作太频繁，请稍后再试。',
    other: '出了点问题，请稍后再试。',
  } as Record<string, string>,
};

export type Messages = typeof zhCN;
