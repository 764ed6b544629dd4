import { snapCategoryNames as allSnapCategoryNames, type SnapStatus } from '../protocol/me.ts';

/** Chinese names for the XLSX export (the apps have their own catalogs). */
export const snapCategoryNames = allSnapCategoryNames['zh-CN'];

export const snapStatusNames: Record<SnapStatus, string> = { pending: '待审核', accepted: '已采纳', declined: '未采纳', handled: '已处置' };
