import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { auditChange } from '../audit.ts';
import { actorOf, requirePermission } from '../auth/session.ts';
import { parseInput } from '../http/validate.ts';
import { newId } from '../ids.ts';
import { AppError } from '../protocol/errors.ts';
import type { Goods, StockMovement } from '../protocol/model.ts';
import type { GoodsView, Items, RedemptionView } from '../protocol/views.ts';
import { dayString, goodsCreateSchema, goodsUpdateSchema, reasonSchema } from '../protocol/schemas.ts';
import { dayKey } from '../domain/time-zone.ts';
import { closeOut } from './close-out.ts';
import { sendTables, sheet } from '../reports/table-export.ts';
import { announceStock } from './redeem-handler.ts';
import { decideVoid } from './redemption-rules.ts';
import { goodsPhotoRoutes } from './goods-photos.ts';

const closeOutQuerySchema = z.object({ day: dayString.optional() });
/** Stock is never overwritten: goods received and count corrections are movements, and a correction needs a reason. */
const stockMovementSchema = z
  .object({ kind: z.enum(['received', 'correction']), delta: z.number().int().min(-1_000_000).max(1_000_000).refine((n) => n !== 0, 'The change cannot be zero'), reason: z.string().trim().max(200).optional() })
  .refine((m) => m.kind !== 'correction' || (m.reason && m.reason.length > 0), { message: 'A stock correction needs a reason', path: ['reason'] })
  .refine((m) => m.kind !== 'received' || m.delta > 0, { message: 'Goods received add to the stock', path: ['delta'] });

export function goodsRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use(goodsPhotoRoutes(ctx));
  const view = (goods: Goods) => {
    const stock = ctx.store.state.stockOf(goods.id);
    return { ...goods, stock, low: stock <= goods.lowStockThreshold } satisfies GoodsView;
  };
  const find = (id: string) => {
    const goods = ctx.store.state.get('goods', id);
    if (!goods) throw new AppError('NOT_FOUND', 'No such goods', 404);
    return goods;
  };

  router.get('/goods', requirePermission('goods:read'), (_req, res) => {
    res.json({ items: [...ctx.store.state.records.goods.values()].map(view) } satisfies Items<GoodsView>);
  });

  router.get('/goods/:id', requirePermission('goods:read'), (req, res) => {
    res.json(view(find(req.params.id as string)));
  });

  router.post('/goods', requirePermission('goods:write'), async (req, res) => {
    const input = parseInput(goodsCreateSchema, req.body);
    const now = ctx.clock.now();
    const actor = actorOf(req);
    const { stock, ...fields } = input;
    const goods: Goods = { id: newId(), ...fields, createdAt: now.toISOString() };
    const initial: StockMovement = { id: newId(), goodsId: goods.id, delta: stock, kind: 'initial', at: now.toISOString(), by: actor };
    await ctx.store.commit([{ c: 'goods', v: goods }, ...(stock > 0 ? [{ c: 'stockMovements', v: initial } as const] : []), auditChange(now, actor, 'goods.created', goods.id, `${goods.name}, ${goods.points} pts, stock ${stock}`, { points: goods.points, stock })]);
    announceStock(ctx, [goods.id]);
    res.status(201).json(view(goods));
  });

  router.patch('/goods/:id', requirePermission('goods:write'), async (req, res) => {
    const input = parseInput(goodsUpdateSchema, req.body);
    const goods = find(req.params.id as string);
    const merged: Record<string, unknown> = { ...goods };
    for (const [key, value] of Object.entries(input)) {
      if (value === null || value === '') delete merged[key];
      else if (value !== undefined) merged[key] = value;
    }
    const updated = merged as unknown as Goods;
    const now = ctx.clock.now();
    await ctx.store.commit([{ c: 'goods', v: updated }, auditChange(now, actorOf(req), 'goods.updated', goods.id, goods.name)]);
    announceStock(ctx, [goods.id]);
    res.json(view(updated));
  });

  router.post('/goods/:id/stock', requirePermission('goods:write'), async (req, res) => {
    const input = parseInput(stockMovementSchema, req.body);
    const goods = find(req.params.id as string);
    const stock = ctx.store.state.stockOf(goods.id);
    if (stock + input.delta < 0) throw new AppError('CONFLICT', `Stock cannot go below zero (now ${stock})`, 409, { stock });
    const now = ctx.clock.now();
    const actor = actorOf(req);
    const movement: StockMovement = { id: newId(), goodsId: goods.id, delta: input.delta, kind: input.kind, reason: input.reason, at: now.toISOString(), by: actor };
    await ctx.store.commit([{ c: 'stockMovements', v: movement }, auditChange(now, actor, `stock.${input.kind}`, goods.id, `${goods.name} ${input.delta > 0 ? '+' : ''}${input.delta}${input.reason ? `: ${input.reason}` : ''}`, { delta: input.delta, ...(input.reason ? { reason: input.reason } : {}) })]);
    announceStock(ctx, [goods.id]);
    res.status(201).json(view(goods));
  });

  router.get('/goods/:id/movements', requirePermission('goods:read'), (req, res) => {
    const goods = find(req.params.id as string);
    res.json({ items: [...ctx.store.state.records.stockMovements.values()].filter((m) => m.goodsId === goods.id) });
  });

  router.get('/redemptions/close-out', requirePermission('goods:write'), (req, res) => {
    const { day } = parseInput(closeOutQuerySchema, req.query);
    res.json(closeOut(ctx.store.state, day ?? dayKey(ctx.clock.now(), ctx.store.state.settings.timeZone)));
  });

  router.get('/redemptions/close-out.xlsx', requirePermission('goods:write'), async (req, res) => {
    const { day } = parseInput(closeOutQuerySchema, req.query);
    const report = closeOut(ctx.store.state, day ?? dayKey(ctx.clock.now(), ctx.store.state.settings.timeZone));
    type Counter = (typeof report.counters)[number];
    type Stock = (typeof report.stockLeft)[number];
    await sendTables(res, 'xlsx', { name: `日结_${report.day}`, ascii: `close-out_${report.day}` }, [
      sheet<Counter>({
        name: '柜台',
        columns: [
          { header: '柜台', value: (c) => c.counterName, width: 16 },
          { header: '兑换笔数', value: (c) => c.redemptions },
          { header: '作废笔数', value: (c) => c.voids },
          { header: '消耗积分', value: (c) => c.pointsSpent },
          { header: '出库物品', value: (c) => c.goodsOut.map((g) => `${g.name}×${g.quantity}`).join('、'), width: 40 },
        ],
        rows: report.counters,
      }),
      sheet<Stock>({
        name: '库存',
        columns: [
          { header: '物品', value: (g) => g.name, width: 20 },
          { header: '当前库存', value: (g) => g.stock },
          { header: '库存不足', value: (g) => (g.low ? '是' : '') },
        ],
        rows: report.stockLeft,
      }),
    ]);
  });

  router.get('/redemptions', requirePermission('goods:write'), (req, res) => {
    const { day } = parseInput(closeOutQuerySchema, req.query);
    const state = ctx.store.state;
    const wanted = day ?? dayKey(ctx.clock.now(), state.settings.timeZone);
    const items = [...state.records.redemptions.values()]
      .filter((r) => dayKey(r.at, state.settings.timeZone) === wanted)
      .map((r): RedemptionView => ({ ...r, volunteerName: state.get('volunteers', r.volunteerId)?.name ?? '', cardNo: state.get('volunteers', r.volunteerId)?.cardNo ?? '' }));
    res.json({ day: wanted, items: items.reverse() });
  });

  router.get('/redemptions/:id', requirePermission('redemption:run'), (req, res) => {
    const state = ctx.store.state;
    const redemption = state.redemptionWithReceiptNo(req.params.id as string) ?? state.get('redemptions', req.params.id as string);
    if (!redemption) throw new AppError('NOT_FOUND', 'No such redemption', 404);
    res.json(redemption);
  });

  router.post('/redemptions/:id/void', requirePermission('redemption:void'), async (req, res) => {
    const { reason } = parseInput(reasonSchema, req.body);
    const state = ctx.store.state;
    const redemption = state.redemptionWithReceiptNo(req.params.id as string) ?? state.get('redemptions', req.params.id as string);
    if (!redemption) throw new AppError('NOT_FOUND', 'No such redemption', 404);
    // Voiding twice changes nothing, and says so: the second click (or a second staff member) learns who voided it, when and why.
    if (redemption.voided) throw new AppError('ALREADY_VOIDED', `Receipt ${redemption.receiptNo} was voided already`, 409, { receiptNo: redemption.receiptNo, voided: redemption.voided });
    const now = ctx.clock.now();
    const changes = decideVoid(state, redemption, reason, now, actorOf(req));
    await ctx.store.commit([...changes, auditChange(now, actorOf(req), 'redemption.voided', redemption.id, `${redemption.receiptNo}: ${reason}`, { receiptNo: redemption.receiptNo, reason })]);
    announceStock(ctx, redemption.items.map((i) => i.goodsId));
    ctx.notifications.emit('redemption:voided', { id: redemption.id, volunteerId: redemption.volunteerId });
    res.json(ctx.store.state.get('redemptions', redemption.id));
  });

  return router;
}
