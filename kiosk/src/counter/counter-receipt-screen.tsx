import type { RedeemSuccess } from '@protocol/events.ts';
import { useMessages } from '../i18n/index.ts';
import { formatNumber, formatTime } from '../server-clock.ts';

/** The receipt stays until staff tap 完成: the volunteer checks it, and it is the proof if asked later. */
export function CounterReceiptScreen({ receipt, timeZone, onDone }: { receipt: RedeemSuccess; timeZone: string; onDone: () => void }) {
  const messages = useMessages();
  const m = messages.counter;
  return (
    <section class="overlay counter-receipt" data-screen="counter-receipt">
      <div class="receipt-paper">
        <h1 class="receipt-title">✓ {m.receiptTitle}</h1>
        <p class="receipt-who">
          {receipt.volunteer.displayName} · {formatTime(receipt.at, timeZone, messages.htmlLang)}
        </p>
        <p class="receipt-no" data-testid="receipt-no">
          {m.receiptNo(receipt.receiptNo)}
        </p>
        <ul class="receipt-lines">
          {receipt.items.map((item) => (
            // `points` is the unit price: the line shows what it adds to the total, the price small beside it.
            <li key={item.goodsId} data-goods={item.name}>
              <span class="receipt-item">
                {item.name} ×{item.quantity}
                {item.quantity > 1 && <small class="receipt-unit">{m.unitPrice(formatNumber(item.points))}</small>}
              </span>
              <span class="receipt-line-total" data-testid="line-total">
                {m.points(formatNumber(item.points * item.quantity))}
              </span>
            </li>
          ))}
        </ul>
        <p class="receipt-total" data-testid="points-spent">
          {m.pointsSpent(formatNumber(receipt.pointsSpent))}
        </p>
        <p class="receipt-balance" data-testid="balance-after">
          {m.balanceAfter(formatNumber(receipt.balance))}
        </p>
      </div>
      <button class="primary big-button" data-testid="receipt-done" onClick={onDone}>
        {m.done}
      </button>
    </section>
  );
}
