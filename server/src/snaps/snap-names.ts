import type { SnapCategory, SnapStatus } from '../protocol/me.ts';

/** Chinese names for the XLSX export (the apps have their own catalogs). */
export const snapCategoryNames: Record<SnapCategory, string> = {
  'fire-safety': '消防通道/安全',
  'ebike-charging': '电动车飞线充电',
  lighting: '楼道照明',
  rubbish: '垃圾未清运',
  facilities: '公共设施损坏',
  other: '其他',
};

export const snapStatusNames: Record<SnapStatus, string> = { pending: '待审核', accepted: '已采纳', declined: '未采纳', handled: '已处置' };
