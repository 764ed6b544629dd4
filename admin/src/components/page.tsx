import type { ComponentChildren } from 'preact';

/** A screen's title with its main actions, then its content. */
export function Page({ title, actions, children, subtitle }: { title: ComponentChildren; actions?: ComponentChildren; subtitle?: ComponentChildren; children: ComponentChildren }) {
  return (
    <section class="page">
      <header class="page__header">
        <div>
          <h1>{title}</h1>
          {subtitle && <p class="page__subtitle">{subtitle}</p>}
        </div>
        {actions && <div class="page__actions">{actions}</div>}
      </header>
      {children}
    </section>
  );
}
