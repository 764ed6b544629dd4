import { useState } from 'preact/hooks';
import { z } from 'zod';
import type { StockMovement } from '@protocol/model.ts';
import { goodsCreateSchema, reasonSchema } from '@protocol/schemas.ts';
import { api } from '../api/client.ts';
import type { GoodsView, Items } from '../api/types.ts';
import { DataTable, type Column } from '../components/data-table.tsx';
import { Dialog } from '../components/dialog.tsx';
import { blank, Field, FormActions, numberOrUndefined, useForm } from '../components/form.tsx';
import { ErrorNotice, Loading } from '../components/notice.tsx';
import { Page } from '../components/page.tsx';
import { useFormat } from '../format.ts';
import { useMessages } from '../i18n/index.tsx';
import { useSession } from '../session.tsx';
import { useLiveRefresh } from '../live-feed.ts';
import { useAction, useResource } from '../use-resource.ts';

type Dialogs = { kind: 'create' } | { kind: 'edit' | 'receive' | 'correct' | 'history'; goods: GoodsView } | null;

/**
 * The whole record on every change. The server's update schema fills its defaults (active,
 * low-stock threshold) into fields left out, so a partial change would quietly reactivate a
 * withdrawn item or reset its warning level.
 */
function goodsPatch(goods: GoodsView, changes: Partial<GoodsView>) {
  const { name, category, points, unit, lowStockThreshold, active } = { ...goods, ...changes };
  return { name, category, points, unit, lowStockThreshold, active };
}

/** The 爱心超市's goods: stock as the sum of its movements (received, counted, redeemed, voided), never a typed-over number. */
export function GoodsPage() {
  const m = useMessages();
  const format = useFormat();
  const { can } = useSession();
  // Redemptions at the counters, voids and stock movements arrive over the live feed (/admin).
  const goods = useResource<Items<GoodsView>>('/goods');
  useLiveRefresh(['stock:changed'], () => void goods.reload());
  const [showWithdrawn, setShowWithdrawn] = useState(false);
  const [dialog, setDialog] = useState<Dialogs>(null);
  const action = useAction();
  const writable = can('goods:write');
  const all = goods.data?.items ?? [];
  const rows = all.filter((g) => showWithdrawn || g.active).sort((a, b) => Number(b.active) - Number(a.active) || a.name.localeCompare(b.name, 'zh-CN'));
  const low = all.filter((g) => g.active && g.low);

  const setActive = async (item: GoodsView, active: boolean) => {
    if (await action.run(() => api.patch(`/goods/${item.id}`, goodsPatch(item, { active })))) await goods.reload();
  };
  // The file goes as the body with its own type; the server checks the bytes, not just the type.
  const uploadPhoto = async (item: GoodsView, file: File | undefined) => {
    if (file && (await action.run(() => api.put(`/goods/${item.id}/photo`, file)))) await goods.reload();
  };
  const removePhoto = async (item: GoodsView) => {
    if (await action.run(() => api.delete(`/goods/${item.id}/photo`))) await goods.reload();
  };
  const close = () => {
    setDialog(null);
    void goods.reload();
  };

  const columns: Column<GoodsView>[] = [
    {
      key: 'photo',
      header: m.goods.photo,
      cell: (g) => (
        <span class="goods-photo">
          {g.photo ? <img class="goods-photo__thumb" src={`/api/goods/${g.id}/photo?v=${encodeURIComponent(g.photo.updatedAt)}`} alt={m.goods.photoOf(g.name)} /> : <span class="goods-photo__thumb goods-photo__thumb--empty" aria-hidden="true" />}
          {writable && (
            <span class="goods-photo__actions">
              <label class="button button--small" title={m.goods.photoHint}>
                {g.photo ? m.goods.replacePhoto : m.goods.uploadPhoto}
                <input
                  type="file"
                  accept="image/jpeg,image/png,image/webp,image/*"
                  class="visually-hidden"
                  data-testid="goods-photo-input"
                  onChange={(event) => {
                    const input = event.currentTarget;
                    void uploadPhoto(g, input.files?.[0]).finally(() => (input.value = ''));
                  }}
                />
              </label>
              {g.photo && (
                <button class="button button--small button--quiet" onClick={() => void removePhoto(g)}>
                  {m.goods.removePhoto}
                </button>
              )}
            </span>
          )}
        </span>
      ),
    },
    {
      key: 'name',
      header: m.goods.name,
      cell: (g) => (
        <>
          <strong>{g.name}</strong>
          {g.category && <span class="muted"> · {g.category}</span>}
        </>
      ),
    },
    { key: 'points', header: m.goods.points, kind: 'num', cell: (g) => format.number(g.points) },
    {
      key: 'stock',
      header: m.goods.stock,
      kind: 'num',
      cell: (g) => (
        <span class="stock">
          {g.active && g.low && <span class="badge badge--warn">{g.stock === 0 ? m.goods.outOfStock : m.goods.lowStock}</span>}
          <strong data-testid="stock">{format.number(g.stock)}</strong> {g.unit ?? ''}
        </span>
      ),
    },
    { key: 'threshold', header: m.goods.threshold, kind: 'num', cell: (g) => format.number(g.lowStockThreshold) },
    { key: 'state', header: m.goods.state, cell: (g) => <span class={`badge badge--${g.active ? 'active' : 'left'}`}>{g.active ? m.goods.active : m.goods.withdrawn}</span> },
    {
      key: 'actions',
      header: '',
      kind: 'actions',
      cell: (g) => (
        <>
          {writable && g.active && (
            <>
              <button class="button button--small button--primary" onClick={() => setDialog({ kind: 'receive', goods: g })}>
                {m.goods.receive}
              </button>
              <button class="button button--small" onClick={() => setDialog({ kind: 'correct', goods: g })}>
                {m.goods.correct}
              </button>
            </>
          )}
          <button class="button button--small" onClick={() => setDialog({ kind: 'history', goods: g })}>
            {m.goods.history}
          </button>
          {writable && (
            <>
              <button class="button button--small" onClick={() => setDialog({ kind: 'edit', goods: g })}>
                {m.common.edit}
              </button>
              <button class="button button--small button--quiet" onClick={() => void setActive(g, !g.active)}>
                {g.active ? m.goods.withdraw : m.goods.reactivate}
              </button>
            </>
          )}
        </>
      ),
    },
  ];

  return (
    <Page
      title={m.nav.goods}
      subtitle={m.goods.intro}
      actions={
        writable && (
          <button class="button button--primary" onClick={() => setDialog({ kind: 'create' })}>
            {m.goods.create}
          </button>
        )
      }
    >
      <div class="toolbar">
        <label class="check">
          <input type="checkbox" checked={showWithdrawn} onChange={(event) => setShowWithdrawn(event.currentTarget.checked)} />
          {m.goods.showWithdrawn}
        </label>
        <span class="muted toolbar__end">{m.goods.live}</span>
      </div>
      {low.length > 0 && (
        <p class="notice notice--warn" role="status">
          {m.goods.lowSummary(low.map((g) => g.name).join('、'))}
        </p>
      )}
      <ErrorNotice error={action.failure ?? goods.error} />
      {!goods.data && !goods.error ? (
        <Loading />
      ) : (
        <DataTable label={m.nav.goods} columns={columns} rows={rows} rowKey={(g) => g.id} empty={m.goods.none} rowClass={(g) => (g.active ? (g.low ? 'row--flagged' : undefined) : 'row--removed')} />
      )}
      {dialog?.kind === 'create' && <GoodsFormDialog onClose={close} />}
      {dialog?.kind === 'edit' && <GoodsFormDialog goods={dialog.goods} onClose={close} />}
      {(dialog?.kind === 'receive' || dialog?.kind === 'correct') && <StockDialog kind={dialog.kind} goods={dialog.goods} onClose={close} />}
      {dialog?.kind === 'history' && <MovementsDialog goods={dialog.goods} onClose={() => setDialog(null)} />}
    </Page>
  );
}

function GoodsFormDialog({ goods, onClose }: { goods?: GoodsView; onClose: () => void }) {
  const m = useMessages();
  const form = useForm({
    name: goods?.name ?? '',
    category: goods?.category ?? '',
    points: goods ? String(goods.points) : '',
    unit: goods?.unit ?? '',
    lowStockThreshold: String(goods?.lowStockThreshold ?? 5),
    stock: '0',
  });
  const v = form.values;
  return (
    <Dialog title={goods ? m.goods.editTitle : m.goods.create} onClose={onClose}>
      <form
        class="form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          const input = {
            name: v.name,
            category: blank(v.category),
            points: numberOrUndefined(v.points),
            unit: blank(v.unit),
            lowStockThreshold: numberOrUndefined(v.lowStockThreshold) ?? Number.NaN,
            stock: goods ? undefined : (numberOrUndefined(v.stock) ?? 0),
          };
          if (goods) {
            void form.submit(goodsCreateSchema.omit({ stock: true }), { ...input, active: goods.active }, async (data) => {
              await api.patch(`/goods/${goods.id}`, goodsPatch(goods, data));
              onClose();
            });
          } else {
            void form.submit(goodsCreateSchema, input, async (data) => {
              await api.post('/goods', data);
              onClose();
            });
          }
        }}
      >
        <Field label={m.goods.name} error={form.error('name')} hint={m.goods.nameHint}>
          <input {...form.text('name')} maxLength={60} autoFocus />
        </Field>
        <div class="form__row">
          <Field label={m.goods.category} error={form.error('category')} hint={m.goods.categoryHint}>
            <input {...form.text('category')} maxLength={40} />
          </Field>
          <Field label={m.goods.unit} error={form.error('unit')} hint={m.goods.unitHint}>
            <input {...form.text('unit')} maxLength={10} />
          </Field>
        </div>
        <div class="form__row">
          <Field label={m.goods.pointsEach} error={form.error('points')}>
            <input {...form.text('points')} type="number" inputMode="decimal" min={0.1} step={0.1} />
          </Field>
          <Field label={m.goods.threshold} error={form.error('lowStockThreshold')} hint={m.goods.thresholdHint}>
            <input {...form.text('lowStockThreshold')} type="number" inputMode="numeric" min={0} step={1} />
          </Field>
        </div>
        {!goods && (
          <Field label={m.goods.initialStock} error={form.error('stock')} hint={m.goods.initialStockHint}>
            <input {...form.text('stock')} type="number" inputMode="numeric" min={0} step={1} />
          </Field>
        )}
        <FormActions form={form} onCancel={onClose} submitLabel={goods ? m.common.save : m.goods.create} />
      </form>
    </Dialog>
  );
}

const quantity = z.number().int().min(1).max(1_000_000);
const receivedSchema = z.object({ quantity, reason: z.string().trim().max(200).optional() });
/** Staff count the shelf and type what they see; the change is worked out here, and its reason is required. */
const countedSchema = reasonSchema.extend({ counted: z.number().int().min(0).max(1_000_000) });

/** Goods received (adds to the stock) or a count that differs from the books (a correction with a reason). */
function StockDialog({ kind, goods, onClose }: { kind: 'receive' | 'correct'; goods: GoodsView; onClose: () => void }) {
  const m = useMessages();
  const format = useFormat();
  const form = useForm({ amount: '', reason: '' });
  const amount = numberOrUndefined(form.values.amount);
  const change = kind === 'correct' && amount !== undefined && Number.isInteger(amount) ? amount - goods.stock : undefined;
  const [unchanged, setUnchanged] = useState(false);

  const submit = (event: Event) => {
    event.preventDefault();
    setUnchanged(false);
    if (kind === 'receive') {
      void form.submit(receivedSchema, { quantity: amount, reason: blank(form.values.reason) }, async ({ quantity, reason }) => {
        await api.post(`/goods/${goods.id}/stock`, { kind: 'received', delta: quantity, reason });
        onClose();
      });
    } else {
      void form.submit(countedSchema, { counted: amount, reason: form.values.reason }, async ({ counted, reason }) => {
        if (counted === goods.stock) {
          setUnchanged(true);
          return;
        }
        await api.post(`/goods/${goods.id}/stock`, { kind: 'correction', delta: counted - goods.stock, reason });
        onClose();
      });
    }
  };

  return (
    <Dialog title={kind === 'receive' ? m.goods.receiveTitle(goods.name) : m.goods.correctTitle(goods.name)} onClose={onClose}>
      <form class="form" onSubmit={submit} noValidate>
        <p class="muted">{m.goods.stockNow(format.number(goods.stock), goods.unit ?? '')}</p>
        <Field
          label={kind === 'receive' ? m.goods.receivedQuantity : m.goods.countedQuantity}
          error={form.error(kind === 'receive' ? 'quantity' : 'counted')}
          hint={change !== undefined && change !== 0 ? m.goods.correctionIs(`${change > 0 ? '+' : ''}${format.number(change)}`) : undefined}
        >
          <input {...form.text('amount')} type="number" inputMode="numeric" min={kind === 'receive' ? 1 : 0} step={1} autoFocus />
        </Field>
        <Field label={kind === 'receive' ? m.goods.receivedNote : m.common.reason} error={form.error('reason')} hint={kind === 'receive' ? m.goods.receivedNoteHint : m.goods.correctHint}>
          <input {...form.text('reason')} maxLength={200} />
        </Field>
        {unchanged && <p class="notice">{m.goods.countMatches}</p>}
        <FormActions form={form} onCancel={onClose} submitLabel={kind === 'receive' ? m.goods.receive : m.goods.correct} />
      </form>
    </Dialog>
  );
}

/** Every change of the stock with who, when and why: the books a count is checked against. */
function MovementsDialog({ goods, onClose }: { goods: GoodsView; onClose: () => void }) {
  const m = useMessages();
  const format = useFormat();
  const movements = useResource<Items<StockMovement>>(`/goods/${goods.id}/movements`);
  const rows = [...(movements.data?.items ?? [])].sort((a, b) => b.at.localeCompare(a.at));
  const columns: Column<StockMovement>[] = [
    { key: 'at', header: m.ledger.at, cell: (s) => format.dateTime(s.at) },
    { key: 'kind', header: m.ledger.kind, cell: (s) => m.movementKind[s.kind] },
    { key: 'delta', header: m.goods.change, kind: 'num', cell: (s) => <span class={s.delta < 0 ? 'negative' : 'positive'}>{`${s.delta > 0 ? '+' : ''}${format.number(s.delta)}`}</span> },
    { key: 'reason', header: m.ledger.reason, kind: 'text', cell: (s) => s.reason ?? '' },
    { key: 'by', header: m.ledger.by, cell: (s) => s.by.replace(/^(staff|device):/, '') },
  ];
  return (
    <Dialog title={m.goods.historyTitle(goods.name)} onClose={onClose} wide>
      <p class="muted">{m.goods.stockNow(format.number(goods.stock), goods.unit ?? '')}</p>
      <ErrorNotice error={movements.error} />
      {movements.data ? <DataTable label={m.goods.history} columns={columns} rows={rows} rowKey={(s) => s.id} /> : <Loading />}
    </Dialog>
  );
}
