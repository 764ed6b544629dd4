import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { useMessages } from '../i18n/index.tsx';

/** A modal over the page: Esc and the close button call onClose; the page behind cannot be clicked. */
export function Dialog({ title, onClose, children, wide }: { title: ComponentChildren; onClose: () => void; children: ComponentChildren; wide?: boolean }) {
  const m = useMessages();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current!;
    if (!dialog.open) dialog.showModal();
    const cancel = (event: Event) => {
      event.preventDefault();
      onClose();
    };
    dialog.addEventListener('cancel', cancel);
    return () => dialog.removeEventListener('cancel', cancel);
  }, [onClose]);
  return (
    <dialog ref={ref} class={`dialog${wide ? ' dialog--wide' : ''}`} aria-labelledby="dialog-title">
      <header class="dialog__header">
        <h2 id="dialog-title">{title}</h2>
        <button type="button" class="button button--quiet" onClick={onClose} aria-label={m.common.close}>
          ✕
        </button>
      </header>
      <div class="dialog__body">{children}</div>
    </dialog>
  );
}
