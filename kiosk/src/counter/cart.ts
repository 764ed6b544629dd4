import type { CounterGoods, StockChanged } from '@protocol/events.ts';

/** goodsId → quantity. A plain record so Preact state updates stay simple and immutable. */
export type Cart = Readonly<Record<string, number>>;

export interface CartLine {
  goods: CounterGoods;
  quantity: number;
  points: number;
}

export interface CartSummary {
  lines: CartLine[];
  total: number;
  /** Balance left after this cart; negative when the cart costs more than the volunteer has. */
  remaining: number;
  /** Points the volunteer lacks for this cart (0 when it is affordable). */
  missing: number;
  count: number;
}

/** One more of a goods, never beyond its stock: the server would refuse it anyway. */
export function addToCart(cart: Cart, goods: CounterGoods): Cart {
  const quantity = (cart[goods.id] ?? 0) + 1;
  if (quantity > goods.stock) return cart;
  return { ...cart, [goods.id]: quantity };
}

export function removeFromCart(cart: Cart, goodsId: string): Cart {
  const quantity = (cart[goodsId] ?? 0) - 1;
  const next = { ...cart };
  if (quantity > 0) next[goodsId] = quantity;
  else delete next[goodsId];
  return next;
}

/**
 * Brings the cart in line with the shelf after stock moved (another counter sold the last units)
 * or goods were withdrawn: quantities are cut to what is left, vanished goods dropped.
 */
export function fitCartToShelf(cart: Cart, shelf: readonly CounterGoods[]): Cart {
  const byId = new Map(shelf.map((g) => [g.id, g]));
  const next: Record<string, number> = {};
  for (const [goodsId, quantity] of Object.entries(cart)) {
    const stock = byId.get(goodsId)?.stock ?? 0;
    if (stock > 0) next[goodsId] = Math.min(quantity, stock);
  }
  return next;
}

export function applyStockChange(shelf: readonly CounterGoods[], change: StockChanged): CounterGoods[] {
  return shelf.map((g) => (g.id === change.goodsId ? { ...g, stock: change.stock, low: change.low } : g));
}

export function summarizeCart(cart: Cart, shelf: readonly CounterGoods[], balance: number): CartSummary {
  const lines: CartLine[] = [];
  for (const goods of shelf) {
    const quantity = cart[goods.id] ?? 0;
    if (quantity > 0) lines.push({ goods, quantity, points: quantity * goods.points });
  }
  const total = lines.reduce((sum, line) => sum + line.points, 0);
  const remaining = balance - total;
  return { lines, total, remaining, missing: Math.max(0, -remaining), count: lines.reduce((sum, line) => sum + line.quantity, 0) };
}

/** Shelf grouped by category, in the server's order; goods without a category come under `fallback`. */
export function groupByCategory(shelf: readonly CounterGoods[], fallback: string): [string, CounterGoods[]][] {
  const groups = new Map<string, CounterGoods[]>();
  for (const goods of shelf) {
    const key = goods.category?.trim() || fallback;
    groups.set(key, [...(groups.get(key) ?? []), goods]);
  }
  return [...groups];
}
