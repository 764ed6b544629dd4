import type { CounterGoods, ScanVolunteer } from '@protocol/events.ts';
import { useMessages } from '../i18n/index.ts';
import { formatNumber } from '../server-clock.ts';
import { Stars } from '../screens/stars.tsx';
import { groupByCategory, type Cart, type CartSummary } from './cart.ts';

interface Props {
  volunteer: ScanVolunteer;
  shelf: CounterGoods[];
  cart: Cart;
  summary: CartSummary;
  online: boolean;
  problem: string[] | null;
  onAdd: (goods: CounterGoods) => void;
  onRemove: (goodsId: string) => void;
  onConfirm: () => void;
  onNextVolunteer: () => void;
}

/** Who is at the counter and what they have, the shelf, and the cart with what it leaves them. */
export function CounterShopScreen({ volunteer, shelf, cart, summary, online, problem, onAdd, onRemove, onConfirm, onNextVolunteer }: Props) {
  const m = useMessages().counter;
  return (
    <section class="counter-shop" data-screen="counter-shop">
      <div class="counter-volunteer" data-testid="volunteer">
        <span class="counter-volunteer-name">{volunteer.displayName}</span>
        <Stars count={volunteer.stars} />
        <span class="counter-balance">
          {m.balance} <strong data-testid="balance">{formatNumber(volunteer.points)}</strong>
        </span>
        <button class="secondary" onClick={onNextVolunteer}>
          {m.otherVolunteer}
        </button>
      </div>
      <div class="counter-body">
        <div class="shelf" data-testid="shelf">
          {shelf.length === 0 && <p class="shelf-empty">{m.shelfEmpty}</p>}
          {groupByCategory(shelf, m.uncategorized).map(([category, goods]) => (
            <section key={category} class="shelf-group">
              <h2>{category}</h2>
              <div class="shelf-items">
                {goods.map((item) => {
                  const inCart = cart[item.id] ?? 0;
                  const soldOut = item.stock <= 0;
                  const full = inCart >= item.stock;
                  // Marked against what is left after the cart so far, so staff see what still fits;
                  // a tile never takes the cart beyond the balance.
                  const unaffordable = !soldOut && item.points > summary.remaining;
                  return (
                    <button
                      key={item.id}
                      class={`goods${soldOut ? ' goods-sold-out' : ''}${unaffordable ? ' goods-unaffordable' : ''}${inCart ? ' goods-in-cart' : ''}`}
                      data-goods={item.name}
                      data-stock={item.stock}
                      disabled={soldOut || full || unaffordable}
                      onClick={() => onAdd(item)}
                    >
                      {/* Fixed size (attributes and CSS), so a photo arriving late moves nothing. */}
                      {item.photoUrl && <img class="goods-photo" src={item.photoUrl} alt={item.name} width={168} height={112} loading="lazy" decoding="async" />}
                      <span class="goods-name">{item.name}</span>
                      <span class="goods-points">{m.points(formatNumber(item.points))}</span>
                      <span class="goods-stock" data-testid="stock">
                        {soldOut ? m.soldOut : m.stock(item.stock, item.unit ?? '')}
                      </span>
                      {item.low && !soldOut && <span class="badge badge-low">{m.low}</span>}
                      {unaffordable && <span class="badge badge-short">{inCart > 0 ? m.cannotAffordMore : m.cannotAfford}</span>}
                      {inCart > 0 && <span class="goods-count">×{inCart}</span>}
                    </button>
                  );
                })}
              </div>
            </section>
          ))}
        </div>
        <aside class="cart" data-testid="cart">
          <h2>{m.cartTitle}</h2>
          {summary.lines.length === 0 ? (
            <p class="cart-empty">{m.cartEmpty}</p>
          ) : (
            <ul class="cart-lines">
              {summary.lines.map((line) => (
                <li key={line.goods.id} data-goods={line.goods.name}>
                  <span class="cart-name">{line.goods.name}</span>
                  <span class="cart-quantity">
                    <button class="cart-step" aria-label={m.less} onClick={() => onRemove(line.goods.id)}>
                      −
                    </button>
                    <span data-testid="quantity">{line.quantity}</span>
                    <button class="cart-step" aria-label={m.more} disabled={line.quantity >= line.goods.stock || line.goods.points > summary.remaining} onClick={() => onAdd(line.goods)}>
                      +
                    </button>
                  </span>
                  <span class="cart-points">{formatNumber(line.points)}</span>
                </li>
              ))}
            </ul>
          )}
          <dl class="cart-totals">
            <dt>{m.total}</dt>
            <dd data-testid="total">{formatNumber(summary.total)}</dd>
            <dt>{m.remaining}</dt>
            <dd data-testid="remaining" class={summary.missing > 0 ? 'short' : ''}>
              {formatNumber(summary.remaining)}
            </dd>
          </dl>
          {summary.missing > 0 && !problem && (
            <p class="notice problem" data-testid="missing">
              {m.missing(formatNumber(summary.missing))}
            </p>
          )}
          {problem && (
            <div class="notice problem" role="alert" data-testid="redeem-problem">
              {problem.map((line) => (
                <p key={line}>{line}</p>
              ))}
            </div>
          )}
          {!online && <p class="notice problem">{m.offline}</p>}
          <button class="primary big-button" data-testid="confirm" disabled={!online || summary.count === 0 || summary.missing > 0} onClick={onConfirm}>
            {m.confirm}
          </button>
        </aside>
      </div>
    </section>
  );
}
